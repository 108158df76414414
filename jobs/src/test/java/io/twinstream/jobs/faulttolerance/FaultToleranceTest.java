package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.PipelineIo;
import io.twinstream.jobs.testing.Probes;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.TwinSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real failures on the real broker and a real MiniCluster; outputs compared as a read_committed consumer sees them. */
class FaultToleranceTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2)
                    .build());

    static EmbeddedKafka kafka;
    static PipelineFixture fixture;
    static final String INPUT = "ft.telemetry";
    /** The input of every run here; the reference run's output is compared with the others'. */
    static final GeneratorConfig INPUT_FLEET = PipelineFixture.fleet(11, 12, 20).allTransportFaults(0.002).build();
    static List<GeneratedRecord> input;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.startTemporary();
        fixture = new PipelineFixture(kafka);
        input = fixture.produce(INPUT_FLEET, INPUT);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static void runToEnd(PipelineConfig c, PipelineIo io) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, AssetModels.builtIn(), io);
        env.execute(c.get(Key.GROUP_ID));
    }

    static PipelineFixture.Outputs reference;

    static synchronized PipelineFixture.Outputs reference() throws Exception {
        if (reference == null) {
            PipelineConfig ref = fixture.run("reference", INPUT);
            runToEnd(ref, new KafkaPipelineIo(ref, AssetModels.builtIn()));
            reference = fixture.read(ref);
            assertThat(reference.snapshots()).isNotEmpty();
            assertThat(reference.scores()).isNotEmpty();
            assertThat(reference.alertEvents()).isPositive();
            assertThat(reference.deadLetters()).isNotEmpty();
            assertThat(reference.rollups()).isNotEmpty();
            assertThat(reference.siteStates()).isNotEmpty();
        }
        return reference;
    }

    /** Passes readings through and throws once, after {@code threshold} of them and a completed checkpoint. */
    public static final class FailOnce extends RichMapFunction<Ingested, Ingested> implements CheckpointListener {
        static final AtomicLong seen = new AtomicLong();
        static final AtomicBoolean checkpointed = new AtomicBoolean();
        static final AtomicBoolean failed = new AtomicBoolean();
        static volatile long threshold;

        static void arm(long after) {
            seen.set(0);
            checkpointed.set(false);
            failed.set(false);
            threshold = after;
        }

        @Override
        public Ingested map(Ingested in) throws InterruptedException {
            if (seen.incrementAndGet() >= threshold && !failed.get()) {
                if (!checkpointed.get()) {
                    // hold the input back until a checkpoint completes: a fast job read all of it before the first
                    // one, ended without the failure, and the test failed on its own premise
                    Thread.sleep(1);
                } else if (failed.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after " + seen.get() + " records");
                }
            }
            return in;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed.set(true);
        }
    }

    /** The Kafka edges with the failing operator right after the source. */
    @ParameterizedTest(name = "state backend {0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aFailureMidStreamRestartsFromTheCheckpointWithNothingLostOrDuplicated(String backend, @TempDir Path dir)
            throws Exception {
        PipelineConfig c = fixture.run("failure-" + backend, INPUT)
                .with(Key.STATE_BACKEND, backend)
                .with(Key.INCREMENTAL_CHECKPOINTS, String.valueOf(backend.equals("rocksdb")))
                .with(Key.CHECKPOINT_DIR, dir.toUri().toString());
        FailOnce.arm(input.size() * 2 / 5);
        runToEnd(c, new InjectedFailureIo(new KafkaPipelineIo(c, AssetModels.builtIn()), new FailOnce()));
        assertThat(FailOnce.failed).as("the failure was injected").isTrue();

        PipelineFixture.Outputs out = fixture.read(c);
        PipelineFixture.Outputs ref = reference();
        assertThat(out.deadLetters()).isEqualTo(ref.deadLetters());
        assertSameRecords("alerts", out.alerts(), ref.alerts());
        assertSameRecords("scores", out.scores(), ref.scores());
        assertSameRecords("snapshots", out.snapshots(), ref.snapshots());
        assertSameRecords("rollups", out.rollups(), ref.rollups());
        assertSameRecords("site states", out.siteStates(), ref.siteStates());
    }

    /** The record of {@code candidates} that parses to the same reading as {@code json}, or null. */
    static String sameReading(List<String> candidates, String json) {
        io.twinstream.schemas.Telemetry t = parse(json);
        return t == null ? null : candidates.stream().filter(c -> t.equals(parse(c))).findFirst().orElse(null);
    }

    private static io.twinstream.schemas.Telemetry parse(String json) {
        try {
            return io.twinstream.schemas.Json.MAPPER.readValue(json, io.twinstream.schemas.Telemetry.class);
        } catch (Exception e) {
            return null;
        }
    }

    static JobClient start(PipelineConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
        return env.executeAsync(c.get(Key.GROUP_ID));
    }

    @ParameterizedTest(name = "state backend {0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void stopWithASavepointAndResumeWithAnotherParallelismGivesTheUninterruptedOutput(String backend,
            @TempDir Path dir) throws Exception {
        // the input arrives in two parts, the second after the savepoint, so both jobs have work to do (with
        // all of it there at once, the first job could consume everything before its savepoint)
        String topic = "ft.telemetry.in-two-parts-" + backend;
        List<GeneratedRecord> records = input;
        int firstPart = records.size() / 2;
        kafka.createTopic(topic, 4, java.util.Map.of());
        fixture.send(records.subList(0, firstPart), topic);
        PipelineConfig first = fixture.run("rescale-" + backend, topic).with(Key.BOUNDED, "false")
                .with(Key.PARALLELISM, "2")
                .with(Key.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString())
                .with(Key.STATE_BACKEND, backend)
                // every state handle a file of its own, as in a fleet of any size (by default state under 20 KiB
                // goes inline into _metadata, and this test's fleet would write no state file at all)
                .withFlinkProperty("execution.checkpointing.data-inline-threshold", "0 b");
        JobClient job = start(first);
        fixture.awaitConsumed(first, 1.0, Duration.ofMinutes(2));
        String savepoint = JobReport.stopWithSavepoint(FLINK, job, dir.resolve("savepoints"), false);

        System.out.println("DIAGNOSTIC savepoint " + savepoint + " right after it completed: " + listing(savepoint));
        // as an operator would: the old job is gone before the new one starts from its savepoint
        awaitGone(job);
        System.out.println("DIAGNOSTIC savepoint " + savepoint + " once the job is gone: " + listing(savepoint));
        fixture.send(records.subList(firstPart, records.size()), topic);
        // no restart allowed: a restore that fails once fails the test
        PipelineConfig second = withSavepoint(first.with(Key.PARALLELISM, "3"), savepoint)
                .withFlinkProperty("restart-strategy.type", "none");
        JobClient resumed = start(second);
        // the committed offsets reach the end only once the resumed job has run a checkpoint of its own
        fixture.awaitConsumed(second, 1.0, Duration.ofMinutes(2));
        assertThat(JobReport.of(FLINK, resumed).failovers()).as("the restore at parallelism 3").isEmpty();
        // drain: the input is over, as for a bounded run
        JobReport.stopWithSavepoint(FLINK, resumed, dir.resolve("savepoints"), true);

        PipelineFixture.Outputs out = fixture.read(first);
        PipelineFixture.Outputs ref = reference();
        // a dead letter names its source topic: this run's input is a copy of the reference's under another name
        java.util.Map<String, Long> deadLetters = new java.util.TreeMap<>();
        out.deadLetters().forEach((letter, n) -> deadLetters.merge(
                letter.replace("\"sourceTopic\":\"" + topic + "\"", "\"sourceTopic\":\"" + INPUT + "\""), n, Long::sum));
        assertThat(deadLetters).isEqualTo(ref.deadLetters());
        assertSameRecords("alerts", out.alerts(), ref.alerts());
        assertSameRecords("scores", out.scores(), ref.scores());
        assertSameRecords("snapshots", out.snapshots(), ref.snapshots());
        assertSameRecords("rollups", out.rollups(), ref.rollups());
        assertSameRecords("site states", out.siteStates(), ref.siteStates());
    }

    static String listing(String savepoint) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of(java.net.URI.create(savepoint)))) {
            return files.map(f -> f.getFileName() + "(" + f.toFile().length() + ")").sorted().toList().toString();
        }
    }

    static void awaitGone(JobClient job) throws Exception {
        Probes.await("job " + job.getJobID() + " to reach a terminal state", Duration.ofMinutes(1), Duration.ofMillis(100),
                () -> job.getJobStatus().get().isGloballyTerminalState());
    }

    static PipelineConfig withSavepoint(PipelineConfig c, String savepoint) {
        return c.withFlinkProperty("execution.state-recovery.path", savepoint);
    }

    /**
     * The broker stops while the job runs and comes back; the job must then read the rest of the input and write the
     * uninterrupted run's output. The input comes in two parts, the second only after the restart, so the job is
     * certainly running (it waits for more) when the broker stops, and can only finish by working after the outage.
     */
    @Test
    void aBrokerRestartMidRunIsRecoveredFromByItselfWithNothingLost(@TempDir Path dir) throws Exception {
        PipelineFixture.Outputs ref = reference();
        // a broker of its own with the same input: the shared one is not restarted under the other tests
        PipelineFixture.Outputs out;
        try (EmbeddedKafka own = EmbeddedKafka.startTemporary()) {
            PipelineFixture f = new PipelineFixture(own);
            own.createTopic(INPUT, 4, java.util.Map.of());
            int firstPart = input.size() / 2;
            f.send(input.subList(0, firstPart), INPUT);
            PipelineConfig c = f.run("broker-restart", INPUT).with(Key.BOUNDED, "false");
            JobClient job = start(c);
            f.awaitConsumed(c, 1.0, Duration.ofMinutes(2));
            JobReport report = JobReport.of(FLINK, job);
            report.awaitAllRunning(Duration.ofMinutes(1));
            assertThat(job.getJobStatus().get()).as("running when the broker stops")
                    .isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
            // the source's consumers open new connections only when they lose theirs (Flink's REST metrics lag by up
            // to metrics.fetcher.update-interval, so the counts are polled)
            String opened = "KafkaSourceReader.KafkaConsumer.connection-creation-total";
            double openedBefore = Probes.await("the telemetry source's consumer metrics", Duration.ofMinutes(1),
                    Duration.ofMillis(500), () -> {
                        double v = report.subtaskMetricSum("telemetry-source", opened);
                        return v > 0 ? v : null;
                    });
            own.stop();
            Thread.sleep(3_000); // the outage itself: clients lose their connections and retry
            own.start();
            f.send(input.subList(firstPart, input.size()), INPUT);
            f.awaitConsumed(c, 1.0, Duration.ofMinutes(2));
            List<String> failovers = report.failovers();
            // the job lived through the outage: its source reconnected (or it failed over and restarted)
            double openedAfter = failovers.isEmpty() ? Probes.await("the source reconnecting after the outage",
                    Duration.ofMinutes(1), Duration.ofMillis(500), () -> {
                        double v = report.subtaskMetricSum("telemetry-source", opened);
                        return v > openedBefore ? v : null;
                    }) : Double.NaN;
            System.out.println("DIAGNOSTIC broker-restart: failovers during the outage: " + failovers
                    + "; source connections opened " + openedBefore + " before the outage, " + openedAfter + " after");
            JobReport.stopWithSavepoint(FLINK, job, dir, true);
            out = f.read(c);
        }
        assertThat(out.deadLetters()).isEqualTo(ref.deadLetters());
        assertSameRecords("alerts", out.alerts(), ref.alerts());
        assertSameRecords("scores", out.scores(), ref.scores());
        assertSameRecords("snapshots", out.snapshots(), ref.snapshots());
    }

    @Test
    void outOfOrderReadingsWithinTheAllowedLatenessGiveTheSameTwinsScoresAndAlerts() throws Exception {
        GeneratorConfig base = PipelineFixture.fleet(12, 12, 20).build();
        fixture.produce(base, "ooo.in-order");
        List<GeneratedRecord> shuffled = fixture.produce(base.copy().outOfOrderRate(0.1).outOfOrderMaxDelayMs(2_500)
                .build(), "ooo.shuffled");
        assertThat(shuffled).filteredOn(r -> r.transport() != null).isNotEmpty()
                .allMatch(r -> r.transport() == io.twinstream.generator.TransportFault.OUT_OF_ORDER);

        PipelineConfig ordered = fixture.run("ooo-a", "ooo.in-order");
        runToEnd(ordered, new KafkaPipelineIo(ordered, AssetModels.builtIn()));
        PipelineConfig disordered = fixture.run("ooo-b", "ooo.shuffled");
        runToEnd(disordered, new KafkaPipelineIo(disordered, AssetModels.builtIn()));

        PipelineFixture.Outputs a = fixture.read(ordered);
        PipelineFixture.Outputs b = fixture.read(disordered);
        assertThat(a.alertEvents()).isPositive();
        assertThat(b.deadLetters()).isEmpty();
        assertSameRecords("snapshots", b.snapshots(), a.snapshots());
        assertSameRecords("scores", b.scores(), a.scores());
        assertSameRecords("alerts", b.alerts(), a.alerts());
    }

    @Test
    void tenThousandHostilePayloadsNeverFailTheJobAndEachIsADeadLetterWithAReason() throws Exception {
        List<byte[]> hostile = HostilePayloads.generate(10_000, 99);
        kafka.createTopic("hostile.in", 4, java.util.Map.of());
        fixture.produce(PipelineFixture.fleet(13, 4, 5).build(), "hostile.in");
        HostilePayloads.send(kafka, "hostile.in", hostile);

        PipelineConfig c = fixture.run("hostile", "hostile.in");
        runToEnd(c, new KafkaPipelineIo(c, AssetModels.builtIn()));
        PipelineFixture.Outputs out = fixture.read(c);

        long dead = out.deadLetters().values().stream().mapToLong(Long::longValue).sum();
        assertThat(dead).isEqualTo(hostile.size());
        java.util.Map<String, Long> byReason = new java.util.TreeMap<>();
        out.deadLetters().forEach((json, n) -> {
            DeadLetter d = read(json);
            assertThat(d.reason()).isNotBlank();
            assertThat(d.sourceTopic()).isEqualTo("hostile.in");
            byReason.merge(d.reasonCode().name(), n, Long::sum);
        });
        System.out.println("dead letters by reason: " + byReason);
        assertThat(byReason).containsKeys("MALFORMED_JSON", "SCHEMA_VIOLATION", "OVERSIZED", "UNSUPPORTED_SCHEMA_VERSION");
        assertThat(out.snapshots()).hasSize(4);
    }

    /**
     * Well-formed and wrong: readings of the fleet's own assets with their clock ten years ahead or reset to 1970, a
     * 20,000-character asset id, a duplicate key, a reading of 1e400, a negative sequence number. Each is a dead letter
     * with its reason, none reaches a watermark or an asset's clock, and so the fleet's snapshots, scores and alerts
     * are exactly those of the fleet alone: no extra OFFLINE alert, no asset rejecting its own readings as LATE.
     */
    @Test
    void wellFormedWrongRecordsOfTheFleetsOwnAssetsChangeNothingButTheDeadLetters() throws Exception {
        List<GeneratedRecord> fleet = fixture.produce(PipelineFixture.fleet(21, 6, 6).build(), "clock.normal");
        kafka.createTopic("clock.hostile", 4, java.util.Map.of());
        fixture.send(fleet, "clock.hostile");
        SplittableRandom r = new SplittableRandom(4);
        List<GeneratedRecord> readings = fleet.stream().filter(g -> g.reading() != null).toList();
        List<byte[]> hostile = new java.util.ArrayList<>();
        List<String> keys = new java.util.ArrayList<>();
        java.util.Map<String, String> expectedReason = new java.util.HashMap<>();
        for (int i = 0; i < 600; i++) {
            GeneratedRecord g = readings.get(r.nextInt(readings.size()));
            String json = new String(g.value(), java.nio.charset.StandardCharsets.UTF_8);
            long ts = g.reading().timestamp();
            String[] kind = switch (i % 6) {
                case 0 -> new String[] {json.replace("\"timestamp\":" + ts, "\"timestamp\":" + (ts + 10L * 365 * 86_400_000)),
                    "FUTURE_TIMESTAMP"};
                case 1 -> new String[] {json.replace("\"timestamp\":" + ts, "\"timestamp\":" + (ts % 86_400_000)),
                    "TIMESTAMP_TOO_OLD"};
                case 2 -> new String[] {json.replace("\"assetId\":\"" + g.reading().assetId() + "\"",
                    "\"assetId\":\"" + g.reading().assetId() + "x".repeat(20_000) + "\""), "INVALID_IDENTIFIER"};
                case 3 -> new String[] {json.replace("\"seq\":" + g.reading().seq(), "\"seq\":" + g.reading().seq()
                    + ",\"seq\":" + (g.reading().seq() + 1_000_000)), "DUPLICATE_KEY"};
                case 4 -> new String[] {json.replaceFirst("(\"readings\":\\{\"[a-z_]+\":)[-0-9.Ee]+", "$11e400"),
                    "SCHEMA_VIOLATION"};
                default -> new String[] {json.replace("\"seq\":" + g.reading().seq(), "\"seq\":-" + (1 + g.reading().seq())),
                    "SCHEMA_VIOLATION"};
            };
            assertThat(kind[0]).as("mutation %d applied", i % 6).isNotEqualTo(json);
            hostile.add(kind[0].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            keys.add(g.key());
            expectedReason.put(kind[0], kind[1]);
        }
        // and near-valid records of other pumps, one field pushed to an extreme (the parser's property-based fuzz):
        // each is a dead letter or a sane reading of its own asset
        List<String> fuzz = io.twinstream.jobs.io.TelemetryParserFuzzTest.nearValidRecords(3_000, 31, PipelineFixture.START);
        for (String f : fuzz) {
            hostile.add(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"assetId\":\"([^\"]*)\"").matcher(f);
            keys.add(m.find() ? m.group(1) : null);
        }
        HostilePayloads.send(kafka, "clock.hostile", keys, hostile);

        PipelineConfig alone = fixture.run("clock-alone", "clock.normal");
        runToEnd(alone, new KafkaPipelineIo(alone, AssetModels.builtIn()));
        PipelineConfig attacked = fixture.run("clock-attacked", "clock.hostile");
        runToEnd(attacked, new KafkaPipelineIo(attacked, AssetModels.builtIn()));
        PipelineFixture.Outputs a = fixture.read(alone);
        PipelineFixture.Outputs b = fixture.read(attacked);

        assertThat(a.snapshots()).isNotEmpty();
        java.util.Set<String> fleetAssets = a.snapshots().keySet();
        assertSameRecords("snapshots", only(b.snapshots(), fleetAssets), a.snapshots());
        assertSameRecords("scores", only(b.scores(), fleetAssets), a.scores());
        assertSameRecords("alerts", only(b.alerts(), fleetAssets), a.alerts());
        java.util.Map<String, Long> extra = new java.util.TreeMap<>();
        long count = 0;
        java.util.Set<String> fuzzRejected = new java.util.HashSet<>();
        for (var e : b.deadLetters().entrySet()) {
            long more = e.getValue() - a.deadLetters().getOrDefault(e.getKey(), 0L);
            if (more > 0) {
                DeadLetter d = read(e.getKey());
                assertThat(d.reason()).isNotBlank();
                if (expectedReason.containsKey(d.payload())) {
                    assertThat(d.reasonCode().name()).as(d.reason()).isEqualTo(expectedReason.get(d.payload()));
                    count += more;
                } else if (d.reasonCode() == io.twinstream.schemas.RejectReason.LATE
                        || d.reasonCode() == io.twinstream.schemas.RejectReason.SEQUENCE_TOO_OLD) {
                    // judged by a fuzz pump's own twin, never by one of the fleet
                    assertThat(fleetAssets).as(d.reason()).doesNotContain(read(e.getKey()).key());
                } else {
                    // rejected by the parser: the original bytes; by the twin operator (no site, unknown type or
                    // sensor): the parsed reading written back, the same reading
                    String original = fuzz.contains(d.payload()) ? d.payload() : sameReading(fuzz, d.payload());
                    assertThat(original).as("a dead letter of the fuzz: %s", d.payload()).isNotNull();
                    fuzzRejected.add(original);
                }
                extra.merge(d.reasonCode().name(), more, Long::sum);
            }
        }
        System.out.println("hostile dead letters by reason: " + extra);
        assertThat(count).as("dead letters of the 600 mutated fleet readings").isEqualTo(600);
        assertThat(extra).containsKeys("FUTURE_TIMESTAMP", "TIMESTAMP_TOO_OLD", "INVALID_IDENTIFIER", "DUPLICATE_KEY",
                "SCHEMA_VIOLATION");
        // every fuzz record not rejected was taken in by the twin of the pump it names
        java.util.Set<String> fuzzTwins = new java.util.HashSet<>(b.snapshots().keySet());
        fuzzTwins.removeAll(fleetAssets);
        long fuzzAccepted = fuzz.stream().filter(f -> !fuzzRejected.contains(f)).count();
        assertThat(fuzzAccepted).isPositive();
        for (String f : fuzz) {
            if (!fuzzRejected.contains(f)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"assetId\":\"([^\"]*)\"").matcher(f);
                assertThat(m.find()).isTrue();
                assertThat(fuzzTwins).as("twin of an accepted fuzz record").contains(m.group(1));
            }
        }

    }

    /** The records of the given assets only (alerts are keyed by {@code assetId/KIND/start}). */
    static java.util.Map<String, List<String>> only(java.util.Map<String, List<String>> byKey, java.util.Set<String> assets) {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        byKey.forEach((k, v) -> {
            if (assets.contains(k) || assets.contains(k.split("/")[0])) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Same keys, and per key the same records in the same order; on a difference, says where. */
    static void assertSameRecords(String topic, java.util.Map<String, List<String>> actual,
            java.util.Map<String, List<String>> expected) {
        assertThat(actual.keySet()).as("%s keys", topic).isEqualTo(expected.keySet());
        for (String key : expected.keySet()) {
            List<String> e = expected.get(key);
            List<String> a = actual.get(key);
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                assertThat(a.get(i)).as("%s of %s, record %d of %d/%d", topic, key, i, a.size(), e.size())
                        .isEqualTo(e.get(i));
            }
            assertThat(a).as("%s of %s", topic, key).hasSameSizeAs(e);
        }
    }

    static DeadLetter read(String json) {
        try {
            return Json.MAPPER.readValue(json, DeadLetter.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
