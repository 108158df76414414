package io.twinstream.analytics;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.faulttolerance.PipelineFixture;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.TwinSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Real pipeline output to query: a generated fleet with faults, through the twin pipeline on the MiniCluster. */
final class TwinOutputs {
    private TwinOutputs() {}

    /** Produces the fleet's telemetry, runs the pipeline to the end of it, and returns the run's settings. */
    static PipelineConfig produce(EmbeddedKafka kafka, String name) throws Exception {
        PipelineConfig config = prepare(kafka, name);
        start(config).getJobExecutionResult().get();
        return config;
    }

    /** Writes the fleet's telemetry and creates the run's output topics. */
    static PipelineConfig prepare(EmbeddedKafka kafka, String name) throws Exception {
        PipelineFixture fixture = new PipelineFixture(kafka);
        fixture.produce(PipelineFixture.fleet(21, 16, 30).build(), name + ".in");
        PipelineConfig config = fixture.run(name, name + ".in");
        register(config);
        return config;
    }

    /** Registered assets: the first eight, on a site of the registry's and under two parents. */
    static final int REGISTERED = 8;

    /** Registry entries for the first {@link #REGISTERED} assets of the fleet, on the run's registry topic. */
    static void register(PipelineConfig config) throws Exception {
        io.twinstream.generator.FleetGenerator fleet = new io.twinstream.generator.FleetGenerator(
                PipelineFixture.fleet(21, 16, 30).build(), AssetModels.builtIn());
        java.util.Properties p = config.kafkaProperties();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (int i = 0; i < REGISTERED; i++) {
                String id = fleet.assetId(i);
                String type = id.startsWith("wt") ? AssetModels.WIND_TURBINE : id.startsWith("ev") ? AssetModels.EV_BATTERY
                        : id.startsWith("pump") ? AssetModels.INDUSTRIAL_PUMP : AssetModels.PATIENT_WEARABLE;
                io.twinstream.schemas.AssetEntry e = new io.twinstream.schemas.AssetEntry(1, id, type, "campus-x",
                        "Asset " + i, 52.5, 13.4, "line-" + (i % 2 + 1), List.of("registered"), "2024-01-01");
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(config.get(Key.TOPIC_ASSETS), id,
                        Json.MAPPER.writeValueAsString(e))).get();
            }
        }
    }

    /** Starts the twin pipeline (bounded: it ends at the end of the telemetry). */
    static JobClient start(PipelineConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, config, AssetModels.builtIn(), new KafkaPipelineIo(config, AssetModels.builtIn()));
        return env.executeAsync(config.get(Key.GROUP_ID));
    }

    /** The current twin per asset: what the compacted snapshot topic converges to. */
    static Map<String, TwinSnapshot> twins(PipelineConfig c) {
        return TopicReader.latestByKey(TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS), true),
                bytes -> read(bytes, TwinSnapshot.class));
    }

    /** The latest event per alert id. */
    static Map<String, Alert> alerts(PipelineConfig c) {
        return TopicReader.latestByKey(alertRecords(c), bytes -> read(bytes, Alert.class));
    }

    static List<Alert> alertEvents(PipelineConfig c) {
        return alertRecords(c).stream().map(r -> read(r.value(), Alert.class)).toList();
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> alertRecords(PipelineConfig c) {
        return TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_ALERTS), true);
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
