package io.twinstream.launcher;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.RecordSink;
import io.twinstream.generator.SensorGeneratorCli;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.jobs.io.Topics;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the generator with a fixed seed and every fault kind through the pipeline on the embedded
 * broker and a MiniCluster, matches the alerts to the ground-truth labels and prints precision,
 * recall, F1 and detection delay per fault kind and overall.
 *
 * <pre>twinstream evaluate [--seed 42] [--assets 40] [--duration 2h] [--faults-per-asset-hour 1.5] [--pipeline key value]</pre>
 */
public final class Evaluation {

    /** What to run. */
    public record Options(long seed, int assets, long durationMs, double faultsPerAssetHour, PipelineConfig pipeline) {
        public static Options defaults() {
            return new Options(42, 40, 2 * 3_600_000L, 1.5, PipelineConfig.defaults());
        }
    }

    public static EvaluationReport run(Options o) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineConfig config = o.pipeline()
                    .with(Key.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                    .with(Key.BOUNDED, "true")
                    .with(Key.STARTING_OFFSETS, "earliest")
                    .with(Key.CHECKPOINT_INTERVAL, "0 s")
                    .with(Key.DELIVERY_GUARANTEE, "at-least-once");
            if (config.integer(Key.PARALLELISM) <= 0) {
                config = config.with(Key.PARALLELISM, "2");
            }
            try (Admin admin = kafka.admin()) {
                Topics.ensure(admin, config, 4, (short) 1);
            }
            GeneratorConfig generatorConfig = GeneratorConfig.defaults().copy()
                    .seed(o.seed()).assets(o.assets()).sites(4).startMs(1_763_884_800_000L)
                    .durationMs(o.durationMs()).ratePerSecond(0)
                    .faultsPerAssetHour(o.faultsPerAssetHour()).faultKinds(EnumSet.allOf(FaultKind.class))
                    .build();
            FleetGenerator generator = new FleetGenerator(generatorConfig, config.models());
            List<FaultLabel> labels = new ArrayList<>();
            long t0 = System.nanoTime();
            try (KafkaRecordSink kafkaSink = new KafkaRecordSink(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    config.get(Key.TOPIC_TELEMETRY), null);
                 RecordSink sink = new LabelCollector(kafkaSink, labels)) {
                generator.run(sink);
            }
            long generated = generator.stats().sent();

            long t1 = System.nanoTime();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            AssetModels models = config.models();
            TwinPipeline.build(env, config, models, new KafkaPipelineIo(config, models));
            env.execute("twinstream-evaluation");
            long t2 = System.nanoTime();

            List<Alert> alerts = TopicReader.readAll(config.kafkaProperties(), config.get(Key.TOPIC_ALERTS), true)
                    .stream().map(r -> read(r.value())).toList();
            long graceMs = config.millis(Key.WINDOW_SIZE)
                    + config.integer(Key.RAISE_WINDOWS) * config.millis(Key.WINDOW_SLIDE);
            return EvaluationReport.match(labels, alerts, graceMs, generated, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    config.millis(Key.WINDOW_SLIDE));
        }
    }

    private static Alert read(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, Alert.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records go to Kafka; labels are kept here as the ground truth. */
    private record LabelCollector(KafkaRecordSink kafka, List<FaultLabel> labels) implements RecordSink {
        @Override
        public void send(GeneratedRecord record) throws Exception {
            kafka.send(record);
        }

        @Override
        public void label(FaultLabel label) {
            labels.add(label);
        }

        @Override
        public void flush() throws Exception {
            kafka.flush();
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = SensorGeneratorCli.parse(argv);
        Options d = Options.defaults();
        Map<String, String> pipeline = new HashMap<>();
        args.forEach((k, v) -> {
            if (!List.of("seed", "assets", "duration", "faults-per-asset-hour").contains(k)) {
                pipeline.put(k, v);
            }
        });
        Options o;
        try {
            o = new Options(
                    Long.parseLong(args.getOrDefault("seed", String.valueOf(d.seed()))),
                    Integer.parseInt(args.getOrDefault("assets", String.valueOf(d.assets()))),
                    args.containsKey("duration") ? SensorGeneratorCli.parseDuration(args.get("duration")).toMillis() : d.durationMs(),
                    Double.parseDouble(args.getOrDefault("faults-per-asset-hour", String.valueOf(d.faultsPerAssetHour()))),
                    PipelineConfig.of(pipeline));
            o.pipeline().models(); // a bad model file is refused here, before anything starts
        } catch (IllegalArgumentException e) { // NumberFormatException included
            System.err.println("twinstream evaluate: " + e.getMessage());
            System.err.println("usage: twinstream evaluate [--seed N] [--assets N] [--duration 2h] "
                    + "[--faults-per-asset-hour X] [--models FILE|DIR] [--<setting> value ...]");
            System.exit(2);
            return;
        }
        System.out.println(run(o).table());
    }

    private Evaluation() {}
}
