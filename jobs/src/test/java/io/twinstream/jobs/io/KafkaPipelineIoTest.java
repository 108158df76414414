package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.KafkaPipelineIo.Batching;
import io.twinstream.schemas.AssetModels;
import io.twinstream.jobs.TwinPipeline;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.junit.jupiter.api.Test;

/** The producer settings every sink gets (the end-to-end tests write through them to the real broker). */
class KafkaPipelineIoTest {

    private static Properties producer(PipelineConfig config, Batching batching) {
        return new KafkaPipelineIo(config, AssetModels.builtIn()).producerProperties(batching);
    }

    @Test
    void sinksBatchAndCompressByDefault() {
        assertThat(producer(PipelineConfig.defaults(), Batching.BULK)).containsEntry("batch.size", "262144")
                .containsEntry("compression.type", "lz4").containsEntry("transaction.timeout.ms", "600000");
    }

    @Test
    void bulkOutputsLingerLongerThanAlerts() {
        assertThat(producer(PipelineConfig.defaults(), Batching.BULK)).containsEntry("linger.ms", "100");
        assertThat(producer(PipelineConfig.defaults(), Batching.PROMPT)).containsEntry("linger.ms", "10");
        PipelineConfig config = PipelineConfig.defaults()
                .with(PipelineConfig.Key.SINK_LINGER, "250 ms")
                .with(PipelineConfig.Key.SINK_ALERT_LINGER, "0 ms");
        assertThat(producer(config, Batching.BULK)).containsEntry("linger.ms", "250");
        assertThat(producer(config, Batching.PROMPT)).containsEntry("linger.ms", "0");
    }

    @Test
    void aKafkaPropertiesSettingOverridesTheDefault() {
        PipelineConfig config = PipelineConfig.defaults()
                .withKafkaProperty("compression.type", "none")
                .withKafkaProperty("linger.ms", "0");
        for (Batching batching : Batching.values()) {
            assertThat(producer(config, batching)).containsEntry("compression.type", "none")
                    .containsEntry("linger.ms", "0").containsEntry("batch.size", "262144");
        }
    }

    /**
     * The pipeline as built: each sink's producer lingers as its output needs (the bulk ones long; alerts, dead letters
     * and commands briefly).
     */
    @Test
    void thePipelinesSinksLingerByWhatTheyWrite() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineConfig config = PipelineConfig.defaults();
        TwinPipeline.build(env, config, AssetModels.builtIn(), new KafkaPipelineIo(config, AssetModels.builtIn()));
        // the connector keeps a sink's producer settings to itself but for this test-only accessor
        Method producerConfig = KafkaSink.class.getDeclaredMethod("getKafkaProducerConfig");
        producerConfig.setAccessible(true);
        Map<String, Object> lingerBySink = new TreeMap<>();
        for (var t : env.getTransformations()) {
            if (t instanceof SinkTransformation<?, ?> sink) {
                Sink<?> kafka = sink.getSink();
                lingerBySink.put(t.getName(), ((Properties) producerConfig.invoke(kafka)).get("linger.ms"));
            }
        }
        assertThat(lingerBySink).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "alert-sink", "10", "command-sink", "10", "dead-letter-sink", "10", "score-sink", "100",
                "snapshot-sink", "100", "history-sink", "100", "rollup-sink", "10", "site-state-sink", "10")));
    }
}
