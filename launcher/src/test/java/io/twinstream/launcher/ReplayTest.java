package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.Topics;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.FaultKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What-if replays on the real broker: a generated fleet with faults and labels, run live; a replay of a period with
 * nothing changed gives the live alerts of that period exactly, and one with a changed setting reports as added and
 * removed exactly what a direct run with that setting differs by.
 */
class ReplayTest {
    static final long START = 1_763_884_800_000L;
    static final long FROM = START + 12 * 60_000;
    static final long TO = START + 28 * 60_000;
    static final Map<String, String> CHANGE = Map.of("alert.raise-windows", "4", "alert.resolve-windows", "3");
    static EmbeddedKafka kafka;
    static PipelineConfig live;
    static PipelineConfig direct;

    @BeforeAll
    static void runLiveAndDirect() throws Exception {
        kafka = EmbeddedKafka.startTemporary();
        live = PipelineConfig.defaults()
                .with(Key.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(Key.BOUNDED, "true")
                .with(Key.STARTING_OFFSETS, "earliest")
                .with(Key.CHECKPOINT_INTERVAL, "0 s")
                .with(Key.DELIVERY_GUARANTEE, "at-least-once")
                .with(Key.PARALLELISM, "2");
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, live, 4, (short) 1);
        }
        kafka.createTopic("replay.labels", 1, Map.of());
        GeneratorConfig fleet = GeneratorConfig.defaults().copy().seed(5).assets(12).sites(2).startMs(START)
                .durationMs(30 * 60_000).ratePerSecond(0).faultsPerAssetHour(6).faultWarmupMs(4 * 60_000)
                .faultKinds(EnumSet.allOf(FaultKind.class)).build();
        try (KafkaRecordSink sink = new KafkaRecordSink(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                live.get(Key.TOPIC_TELEMETRY), "replay.labels")) {
            new FleetGenerator(fleet, live.models()).run(sink);
        }
        run(live);
        direct = live;
        for (Map.Entry<String, String> c : CHANGE.entrySet()) {
            direct = direct.withSetting(c.getKey(), c.getValue());
        }
        for (Key k : List.of(Key.TOPIC_SNAPSHOTS, Key.TOPIC_SCORES, Key.TOPIC_ALERTS, Key.TOPIC_DEAD_LETTER,
                Key.TOPIC_COMMANDS, Key.TOPIC_ROLLUPS, Key.TOPIC_SITE_STATE, Key.TOPIC_HISTORY)) {
            direct = direct.with(k, "direct." + live.get(k));
        }
        direct = direct.with(Key.GROUP_ID, "direct");
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, direct, 4, (short) 1);
        }
        run(direct);
    }

    static void run(PipelineConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, c.models(), new KafkaPipelineIo(c));
        env.execute(c.get(Key.GROUP_ID));
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static ReplayCommand.Request request(String... changes) throws Exception {
        List<String> args = new ArrayList<>(List.of("--from", String.valueOf(FROM), "--to", "1970-01-01T00:00:00Z",
                "--labels-topic", "replay.labels", "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--pipeline.parallelism", "2", "--checkpoint.interval", "0 s",
                "--sink.delivery-guarantee", "at-least-once"));
        args.set(3, java.time.Instant.ofEpochMilli(TO).toString());
        for (String c : changes) {
            args.add("--set");
            args.add(c);
        }
        return ReplayCommand.parse(args.toArray(String[]::new), Map.of());
    }

    static List<String> events(List<Alert> alerts) {
        return ReplayReport.inPeriod(alerts, FROM, TO).stream()
                .map(a -> a.alertId() + " " + a.state() + " " + a.severity() + " " + a.updatedAt()).sorted().toList();
    }

    @Test
    void aReplayWithNothingChangedGivesThePeriodsLiveAlertsExactly(@TempDir Path dir) throws Exception {
        ReplayCommand.Request r = request();
        ReplayCommand.Outcome outcome = ReplayCommand.run(r, StreamExecutionEnvironment.getExecutionEnvironment());
        ReplayReport report = outcome.report();
        assertThat(report.added()).isEmpty();
        assertThat(report.removed()).isEmpty();
        assertThat(report.incidents()).isNotEmpty()
                .allSatisfy((k, v) -> assertThat(v[1]).as(k).isEqualTo(v[0]));
        assertThat(report.live()).isNotNull();
        assertThat(report.replay().detected()).isEqualTo(report.live().detected());
        assertThat(report.energy()).isNotEmpty().allSatisfy((site, e) -> {
            assertThat(e[2]).isEqualTo(e[0]);
            assertThat(e[3]).isEqualTo(e[1]);
        });
        List<Alert> liveAlerts = ReplayCommand.read(live, live.get(Key.TOPIC_ALERTS), Alert.class);
        List<Alert> replayAlerts = ReplayCommand.read(outcome.scratch(), outcome.scratch().get(Key.TOPIC_ALERTS),
                Alert.class);
        assertThat(events(liveAlerts)).isNotEmpty();
        assertThat(events(replayAlerts)).isEqualTo(events(liveAlerts));
        assertThat(outcome.scratch().get(Key.TOPIC_ALERTS)).startsWith("replay-").isNotEqualTo(live.get(Key.TOPIC_ALERTS));
        report.chart(dir.resolve("replay.png"), "unchanged");
        assertThat(Files.size(dir.resolve("replay.png"))).isPositive();
    }

    @Test
    void aReplayWithChangedSettingsReportsWhatADirectRunWithThemChanges() throws Exception {
        List<String> changes = CHANGE.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        ReplayCommand.Request r = request(changes.toArray(String[]::new));
        ReplayReport report = ReplayCommand.run(r, StreamExecutionEnvironment.getExecutionEnvironment()).report();
        TreeSet<String> liveIds = ids(ReplayCommand.read(live, live.get(Key.TOPIC_ALERTS), Alert.class));
        TreeSet<String> directIds = ids(ReplayCommand.read(direct, direct.get(Key.TOPIC_ALERTS), Alert.class));
        TreeSet<String> added = new TreeSet<>(directIds);
        added.removeAll(liveIds);
        TreeSet<String> removed = new TreeSet<>(liveIds);
        removed.removeAll(directIds);
        assertThat(added.size() + removed.size()).as("the change makes a difference").isPositive();
        assertThat(report.added()).containsExactlyElementsOf(added);
        assertThat(report.removed()).containsExactlyElementsOf(removed);
    }

    static TreeSet<String> ids(List<Alert> alerts) {
        TreeSet<String> ids = new TreeSet<>();
        ReplayReport.inPeriod(alerts, FROM, TO).forEach(a -> ids.add(a.alertId()));
        return ids;
    }

    @Test
    void badRequestsAreRefusedBeforeAnyWork() {
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--from", "1", "--to", "2", "--set",
            "alert.no-such=1"}, Map.of())).hasMessageContaining("unknown setting 'alert.no-such'");
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--from", "yesterday", "--to", "2"}, Map.of()))
                .hasMessageContaining("--from");
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--to", "2"}, Map.of()))
                .hasMessageContaining("--from and --to");
    }
}
