package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.generator.GeneratedRecord;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint written by an earlier release (before {@code TwinState.firstSeen} existed, see
 * {@code src/test/resources/savepoints/}, and with Flink's POJO serializer, before
 * {@code AssetStateSerializer} replaced it) restores into this one: Flink reads the state with the serializer that
 * wrote it and migrates it, and the twins go on counting from where the savepoint left them. The fixture's job had
 * taken in all of {@link RegenerateSavepointFixture#input()} before its savepoint, so the restored job
 * gets a continuation of it: the same readings ten minutes later, with new sequence numbers.
 */
class StateSchemaEvolutionTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    /**
     * On RocksDB the migration rewrites every stored value; on the heap the values are read with the old serializer.
     * {@code before-first-seen}: the first release's state (Flink's POJO serializer); {@code release-2026-12-04}: the
     * release before models and the registry (asset state layout 3, a one-input twin operator, no models or registry
     * sources).
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"before-first-seen, hashmap", "before-first-seen, rocksdb",
                "release-2026-12-04, hashmap", "release-2026-12-04, rocksdb"})
    void aSavepointOfAnEarlierReleaseRestores(String fixtureName, String backend, @TempDir Path dir) throws Exception {
        Path savepoint = Path.of(StateSchemaEvolutionTest.class.getResource("/savepoints/" + fixtureName + "/_metadata")
                .toURI()).getParent();
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            List<GeneratedRecord> sent = fixture.produce(RegenerateSavepointFixture.input(), RegenerateSavepointFixture.TOPIC);
            // the fixture's state was written on the day it was made, and twin.state-ttl counts processing time:
            // with the default (7 days) every twin in it has expired a week later, and the test would depend on
            // the date it runs on
            PipelineConfig c = FaultToleranceTest.withSavepoint(RegenerateSavepointFixture.config(fixture), savepoint.toUri().toString())
                    .with(Key.STATE_TTL, "36500 d")
                    .with(Key.STATE_BACKEND, backend);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
            JobClient job = env.executeAsync("restored");
            List<GeneratedRecord> continuation = continuation(sent);
            fixture.send(continuation, RegenerateSavepointFixture.TOPIC);
            fixture.awaitConsumed(c, 1.0, Duration.ofMinutes(2));
            JobReport.stopWithSavepoint(FLINK, job, dir, true);

            Map<String, TwinSnapshot> twins = TopicReader.latestByKey(
                    TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS), true),
                    b -> read(b));
            Map<String, Long> accepted = java.util.stream.Stream.concat(sent.stream(), continuation.stream())
                    .filter(GeneratedRecord::acceptedByTwin)
                    .collect(Collectors.groupingBy(GeneratedRecord::key, Collectors.counting()));
            assertThat(twins.keySet()).isEqualTo(accepted.keySet());
            // a restored twin goes on counting: its first snapshot of this run already counts the savepoint's readings.
            // A job that ignored the savepoint and read the topic from its start would reach the same final counts,
            // but its first snapshot of each asset would count its first reading (1).
            Map<String, Long> firstCounts = new java.util.TreeMap<>();
            for (var r : TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS), true)) {
                TwinSnapshot s = read(r.value());
                firstCounts.putIfAbsent(s.assetId(), s.eventsAccepted());
            }
            System.out.println("first snapshot counts after the restore of " + fixtureName + ": " + firstCounts);
            assertThat(firstCounts).allSatisfy((asset, first) -> assertThat(first).as(asset).isGreaterThan(20));
            twins.forEach((asset, twin) -> {
                // the savepoint's readings and the continuation's: only a restored twin counts them all
                assertThat(twin.eventsAccepted()).as(asset).isEqualTo(accepted.get(asset));
                assertThat(twin.firstSeen()).as("%s firstSeen", asset).isNotNull();
            });
        }
    }

    /** The input's clean readings again, ten minutes later and with sequence numbers past the input's. */
    static List<GeneratedRecord> continuation(List<GeneratedRecord> input) throws Exception {
        long shiftMs = Duration.ofMinutes(10).toMillis();
        long seqShift = input.stream().mapToLong(r -> r.reading().seq()).max().orElse(0) + 1;
        List<GeneratedRecord> out = new java.util.ArrayList<>();
        for (GeneratedRecord r : input) {
            if (r.transport() != null) {
                continue;
            }
            Telemetry t = r.reading();
            Telemetry later = new Telemetry(t.schemaVersion(), t.eventId() + "-later", t.assetId(), t.assetType(),
                    t.siteId(), t.timestamp() + shiftMs, t.seq() + seqShift, t.readings());
            out.add(new GeneratedRecord(r.key(), Json.MAPPER.writeValueAsBytes(later), later, null));
        }
        return out;
    }

    static TwinSnapshot read(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, TwinSnapshot.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
