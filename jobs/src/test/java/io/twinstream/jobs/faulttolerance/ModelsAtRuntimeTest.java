package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetEntry;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's models and registry reaching a running job on the real broker: a job started with the built-in models
 * gets a new type on the models topic mid-stream, then a new version of it, then a registry entry, without a restart;
 * and after a stop with savepoint and a restart from it the job still knows the type and the entry, although its
 * sources do not read either record again (their offsets are in the savepoint): the broadcast and keyed state bring
 * them back.
 */
class ModelsAtRuntimeTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final long START = 1_763_884_800_000L;
    static final AssetModel V1 = new AssetModel("CHILLER", 1, "chiller", 1_000, List.of(
            new SensorSpec("supply_temp_c", "degC", -10, 30),
            new SensorSpec("power_kw", "kW", 0, 900),
            new SensorSpec("flow_m3h", "m3/h", 0, 500)));
    static final AssetModel V2 = new AssetModel("CHILLER", 2, "chiller", 1_000, List.of(
            new SensorSpec("supply_temp_c", "degC", -10, 30),
            new SensorSpec("power_kw", "kW", 0, 900),
            new SensorSpec("condenser_temp_c", "degC", 0, 60)));

    PipelineConfig c;
    KafkaProducer<String, String> producer;
    final Map<String, Long> seq = new LinkedHashMap<>();

    @Test
    void aNewTypeAVersionAndARegistryEntryApplyWithoutARestartAndSurviveOne(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            kafka.createTopic("runtime.in", 2, Map.of());
            c = fixture.run("runtime", "runtime.in")
                    .with(Key.BOUNDED, "false")
                    .with(Key.CHECKPOINT_INTERVAL, "300 ms")
                    .with(Key.MAX_OUT_OF_ORDERNESS, "0 s")
                    .with(Key.SNAPSHOT_MIN_INTERVAL, "1 ms");
            producer = new KafkaProducer<>(c.kafkaProperties(), new StringSerializer(), new StringSerializer());
            JobClient job = start(c);

            // before the model: dead letters, as for any unknown type
            for (int i = 0; i < 3; i++) {
                reading("ch-0", V1, "CHILLER", "plant-a");
            }
            await("3 dead letters of ch-0", () -> deadLetters("ch-0").size() == 3);
            assertThat(deadLetters("ch-0")).extracting(DeadLetter::reasonCode)
                    .containsOnly(RejectReason.UNKNOWN_ASSET_TYPE);

            // the model arrives on the models topic; readings of the type become a twin, the job keeps running
            publish(c.get(Key.TOPIC_MODELS), "CHILLER", Json.MAPPER.writeValueAsString(V1));
            awaitWhileSending("ch-1", V1, s -> s.modelVersion() != null && s.modelVersion() == 1);
            for (int i = 0; i < 20; i++) {
                reading("ch-1", V1, "CHILLER", "plant-a");
            }

            // version 2: flow removed, condenser added; the remaining sensors keep counting
            publish(c.get(Key.TOPIC_MODELS), "CHILLER", Json.MAPPER.writeValueAsString(V2));
            TwinSnapshot v2 = awaitWhileSending("ch-1", V2, s -> s.modelVersion() != null && s.modelVersion() == 2
                    && s.sensors().containsKey("condenser_temp_c"));
            assertThat(v2.sensors()).containsOnlyKeys("supply_temp_c", "power_kw", "condenser_temp_c");
            assertThat(v2.sensors().get("power_kw").count()).as("power_kw carried across the version")
                    .isEqualTo(v2.eventsAccepted());
            // (v1 readings still in flight when v2 arrived are dead letters: the two inputs have no common order)
            assertThat(v2.sensors().get("condenser_temp_c").count()).as("v1 readings came first")
                    .isPositive().isLessThan(v2.eventsAccepted());

            // a registry entry: the next snapshot shows it, and readings need no type or site any more
            publish(c.get(Key.TOPIC_ASSETS), "ch-1", Json.MAPPER.writeValueAsString(new AssetEntry(1, "ch-1", "CHILLER",
                    "plant-b", "Chiller 1", null, null, "line-7", List.of(), null)));
            TwinSnapshot moved = await("a REGISTRY snapshot of ch-1", () -> latest("ch-1",
                    s -> s.reason() == SnapshotReason.REGISTRY));
            assertThat(moved.siteId()).isEqualTo("plant-b");
            assertThat(moved.registry().parentId()).isEqualTo("line-7");
            long before = moved.eventsAccepted();
            reading("ch-1", V2, null, null);
            await("the untyped reading of ch-1 applied", () -> latest("ch-1", s -> s.eventsAccepted() == before + 1));

            String savepoint = JobReport.stopWithSavepoint(FLINK, job, dir, false);

            // restarted: the sources resume past the model and registry records; only the restored state knows them
            job = start(FaultToleranceTest.withSavepoint(c, savepoint));
            int deadBefore = deadLetters("ch-2").size();
            awaitWhileSending("ch-2", V2, s -> s.modelVersion() != null && s.modelVersion() == 2);
            assertThat(deadLetters("ch-2")).as("no reading of the type was refused after the restore")
                    .hasSize(deadBefore);
            reading("ch-1", V2, null, null);
            await("ch-1's registry entry restored", () -> latest("ch-1", s -> s.eventsAccepted() == before + 2
                    && "plant-b".equals(s.siteId())));
            job.cancel().get();
            producer.close();
        }
    }

    /** Without control topics (topics.models and topics.assets empty) the job runs on the models given at start. */
    @Test
    void withoutControlTopicsTheJobRunsOnTheModelsGivenAtStart(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            kafka.createTopic("plain.in", 2, Map.of());
            java.nio.file.Files.writeString(dir.resolve("chiller.json"), Json.MAPPER.writeValueAsString(V1));
            c = fixture.run("plain", "plain.in")
                    .with(Key.BOUNDED, "false")
                    .with(Key.TOPIC_MODELS, "")
                    .with(Key.TOPIC_ASSETS, "")
                    .with(Key.MODELS_PATH, dir.resolve("chiller.json").toString())
                    .with(Key.CHECKPOINT_INTERVAL, "300 ms")
                    .with(Key.MAX_OUT_OF_ORDERNESS, "0 s")
                    .with(Key.SNAPSHOT_MIN_INTERVAL, "1 ms");
            assertThat(io.twinstream.jobs.io.Topics.definitions(c, 1, (short) 1))
                    .extracting(org.apache.kafka.clients.admin.NewTopic::name).doesNotContain("");
            producer = new KafkaProducer<>(c.kafkaProperties(), new StringSerializer(), new StringSerializer());
            JobClient job = start(c);
            TwinSnapshot twin = awaitWhileSending("ch-1", V1, s -> s.eventsAccepted() >= 3);
            assertThat(twin.modelVersion()).isEqualTo(1);
            // and it keeps running: a checkpoint-era restart would show as a second job attempt
            assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
            assertThat(JobReport.of(FLINK, job).failovers()).isEmpty();
            job.cancel().get();
            producer.close();
        }
    }

    static JobClient start(PipelineConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, c.models(), new KafkaPipelineIo(c));
        return env.executeAsync("runtime-models");
    }

    void publish(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** The next reading of {@code asset}: every sensor of {@code model}, one second after its previous one. */
    void reading(String asset, AssetModel model, String type, String site) throws Exception {
        long s = seq.merge(asset, 1L, Long::sum);
        Map<String, Double> values = new LinkedHashMap<>();
        for (SensorSpec spec : model.sensors()) {
            values.put(spec.name(), spec.min() + (spec.max() - spec.min()) * (0.4 + 0.01 * (s % 5)));
        }
        Telemetry t = new Telemetry(1, asset + ":" + s, asset, type, site, START + s * 1_000, s, values);
        publish(c.get(Key.TOPIC_TELEMETRY), asset, Json.MAPPER.writeValueAsString(t));
    }

    /** Sends readings of {@code asset}, one every 200 ms, until a snapshot of it satisfies {@code done}. */
    TwinSnapshot awaitWhileSending(String asset, AssetModel model, Predicate<TwinSnapshot> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            reading(asset, model, "CHILLER", "plant-a");
            TwinSnapshot s = latest(asset, done);
            if (s != null) {
                return s;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no snapshot of " + asset + " as expected within 90 s");
    }

    TwinSnapshot latest(String asset, Predicate<TwinSnapshot> match) {
        TwinSnapshot found = null;
        for (var r : TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS), true)) {
            TwinSnapshot s = StateSchemaEvolutionTest.read(r.value());
            if (s.assetId().equals(asset) && match.test(s)) {
                found = s;
            }
        }
        return found;
    }

    List<DeadLetter> deadLetters(String asset) {
        return TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_DEAD_LETTER), true).stream()
                .map(r -> {
                    try {
                        return Json.MAPPER.readValue(r.value(), DeadLetter.class);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(d -> asset.equals(d.key())).toList();
    }

    static <T> T await(String what, java.util.concurrent.Callable<T> probe) throws Exception {
        return io.twinstream.jobs.testing.Probes.await(what, Duration.ofSeconds(90), Duration.ofMillis(200), probe);
    }
}
