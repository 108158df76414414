package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.jobs.testing.Probes;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.DesiredState;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands and alert actions across a TaskManager failure: the same input in three phases (first readings, then the
 * desired states, then two minutes of readings during which both TaskManagers die and two fresh ones take over, then
 * operators' actions) gives, to read_committed consumers, each command id once and exactly the commands, alerts,
 * snapshots, roll-ups and site states of a failure-free run of the same phases. Each phase starts once the previous one's records are consumed
 * and checkpointed, so the only input read again after the failure is the telemetry, whose order per asset is its
 * partition's.
 */
class CommandsAcrossFailureTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2)
                    .build());

    static final long START = 1_764_000_000_000L;
    static final String TARGET = "target_flow_m3h";
    /** Pumps 0-2 apply the desired value after 5 s, pump 3 ignores it, pump 4 applies it and drifts away for 40 s. */
    static final int PUMPS = 5;

    @Test
    void aTaskManagerFailureNeitherRepeatsACommandNorChangesWhatTheOperatorsSee(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            Map<String, List<String>> reference = run(fixture, kafka, "cmd-reference", null);
            Map<String, List<String>> failed = run(fixture, kafka, "cmd-failure", cluster);

            assertThat(commands(failed)).as("one command per pump").hasSize(PUMPS)
                    .extracting(Command::commandId).doesNotHaveDuplicates();
            assertThat(failed.get("commands")).isEqualTo(reference.get("commands"));
            assertThat(failed.get("alerts")).isEqualTo(reference.get("alerts"));
            assertThat(failed.get("snapshots")).isEqualTo(reference.get("snapshots"));
            assertThat(failed.get("dead-letters")).isEqualTo(reference.get("dead-letters"));
            assertThat(failed.get("rollups")).as("roll-ups").isNotEmpty().isEqualTo(reference.get("rollups"));
            assertThat(failed.get("site-state")).as("site states").isNotEmpty().isEqualTo(reference.get("site-state"));
            // what the operators' actions did, once each
            List<Alert> alerts = failed.get("alerts").stream().map(l -> read(l.substring(l.indexOf(' ') + 1),
                    Alert.class)).toList();
            assertThat(alerts).filteredOn(a -> "alice".equals(a.acknowledgedBy()) && a.reason().startsWith("acknowledged"))
                    .hasSize(1);
            assertThat(alerts).filteredOn(a -> a.reason().startsWith("comment by bob")).hasSize(1);
            assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.COMMAND_EXPIRED).isNotEmpty();
            assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.DESIRED_STATE_DRIFT).hasSize(2); // opened, resolved
        }
    }

    /** One run of the three phases; with a cluster, both TaskManagers die mid-way through the second. */
    Map<String, List<String>> run(PipelineFixture fixture, EmbeddedKafka kafka, String name, MiniCluster cluster)
            throws Exception {
        kafka.createTopic(name + ".in", 2, Map.of());
        PipelineConfig c = fixture.run(name, name + ".in")
                .with(Key.BOUNDED, "false")
                .with(Key.CHECKPOINT_INTERVAL, "300 ms")
                .with(Key.MAX_OUT_OF_ORDERNESS, "0 s") // applied as they come: the first readings make twins at once
                .with(Key.SNAPSHOT_MIN_INTERVAL, "1 ms")
                .with(Key.COMMAND_TTL, "30 s")
                .with(Key.DRIFT_AFTER, "10 s")
                .withFlinkProperty("restart-strategy.type", "fixed-delay")
                .withFlinkProperty("restart-strategy.fixed-delay.attempts", "5")
                .withFlinkProperty("restart-strategy.fixed-delay.delay", "1 s");
        JobClient job = FaultToleranceTest.start(c);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(c.kafkaProperties(), new StringSerializer(),
                new StringSerializer())) {
            // phase 0: three readings each, so the twins know their model
            send(producer, c, readings(1_000, 3_000));
            await("every pump's twin", () -> snapshots(c).keySet().size() == PUMPS);
            // phase 1: the desired states
            for (int p = 0; p < PUMPS; p++) {
                producer.send(new ProducerRecord<>(c.get(Key.TOPIC_DESIRED), pump(p), Json.MAPPER.writeValueAsString(
                        new DesiredState(1, pump(p), Map.of(TARGET, 250.0), START + 3_500, "ops")))).get();
            }
            await("a command per pump", () -> TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_COMMANDS), true)
                    .size() == PUMPS);
            // phase 2: two minutes of readings, and for the failure run both TaskManagers die part-way
            List<ProducerRecord<String, String>> phase2 = readings(4_000, 124_000);
            int total = 3 * PUMPS + phase2.size();
            send(producer, c, phase2);
            if (cluster != null) {
                fixture.awaitConsumed(c, (3.0 * PUMPS + phase2.size() * 0.4) / total, Duration.ofMinutes(2));
                cluster.terminateTaskManager(0).get();
                cluster.terminateTaskManager(1).get();
                cluster.startTaskManager();
                cluster.startTaskManager();
            }
            fixture.awaitConsumed(c, 1.0, Duration.ofMinutes(2));
            if (cluster != null) {
                assertThat(JobReport.of(FLINK, job).failovers()).as("the job failed over").isNotEmpty();
            }
            Alert expired = await("pump 3's COMMAND_EXPIRED", () -> alerts(c).stream()
                    .filter(a -> a.assetId().equals(pump(3)) && a.kind() == AlertKind.COMMAND_EXPIRED).findFirst()
                    .orElse(null));
            // phase 3: operators act, at fixed times
            List<AlertAction> actions = List.of(
                    new AlertAction(1, pump(3), expired.alertId(), AlertAction.Action.ACK, "alice", START + 130_000,
                            null, null, null),
                    new AlertAction(1, pump(3), expired.alertId(), AlertAction.Action.ACK, "carol", START + 130_002,
                            null, null, null),
                    new AlertAction(1, pump(3), expired.alertId(), AlertAction.Action.COMMENT, "bob", START + 130_004,
                            "valve stuck", null, null));
            for (AlertAction a : actions) {
                producer.send(new ProducerRecord<>(c.get(Key.TOPIC_ALERT_ACTIONS), a.assetId(),
                        Json.MAPPER.writeValueAsString(a))).get();
            }
            await("the comment", () -> alerts(c).stream().anyMatch(a -> "valve stuck".equals(a.note())));
            await("the second acknowledgement refused", () -> TopicReader.readAll(c.kafkaProperties(),
                    c.get(Key.TOPIC_DEAD_LETTER), true).size() == 1);
        } finally {
            job.cancel().get();
            FaultToleranceTest.awaitGone(job);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("commands", byKeyInOrder(c, Key.TOPIC_COMMANDS));
        out.put("alerts", byKeyInOrder(c, Key.TOPIC_ALERTS));
        out.put("snapshots", byKeyInOrder(c, Key.TOPIC_SNAPSHOTS));
        out.put("dead-letters", byKeyInOrder(c, Key.TOPIC_DEAD_LETTER));
        out.put("rollups", byKeyInOrder(c, Key.TOPIC_ROLLUPS));
        out.put("site-state", byKeyInOrder(c, Key.TOPIC_SITE_STATE));
        return out;
    }

    static String pump(int p) {
        return "pump-" + p;
    }

    /** Each pump's readings from {@code from} to {@code to} (ms after START), one a second, with its reported target. */
    static List<ProducerRecord<String, String>> readings(long from, long to) throws Exception {
        List<ProducerRecord<String, String>> out = new ArrayList<>();
        for (long t = from; t <= to; t += 1_000) {
            for (int p = 0; p < PUMPS; p++) {
                double target = t < 9_000 || p == 3 ? 200 : p == 4 && t >= 60_000 && t < 100_000 ? 150 : 250;
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("flow_m3h", 180.0 + (t / 1_000 % 7));
                values.put("discharge_pressure_bar", 6 + (t / 1_000 % 3) * 0.1);
                values.put("motor_current_a", 60.0 + (t / 1_000 % 5));
                values.put("bearing_temp_c", 55 + (t / 1_000 % 4) * 0.2);
                values.put("vibration_mm_s", 3 + (t / 1_000 % 6) * 0.1);
                values.put(TARGET, target);
                Telemetry r = new Telemetry(1, pump(p) + ":" + t, pump(p), AssetModels.INDUSTRIAL_PUMP, "site-a",
                        START + t, t / 1_000, values);
                out.add(new ProducerRecord<>("", pump(p), Json.MAPPER.writeValueAsString(r)));
            }
        }
        return out;
    }

    static void send(KafkaProducer<String, String> producer, PipelineConfig c, List<ProducerRecord<String, String>> rs)
            throws Exception {
        for (ProducerRecord<String, String> r : rs) {
            producer.send(new ProducerRecord<>(c.get(Key.TOPIC_TELEMETRY), r.key(), r.value()));
        }
        producer.flush();
    }

    /** Per key, the values in the order its partition holds them, keys sorted: read_committed. */
    static List<String> byKeyInOrder(PipelineConfig c, Key topic) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(c.kafkaProperties(), c.get(topic), true)) {
            byKey.computeIfAbsent(new String(r.key()), k -> new ArrayList<>()).add(new String(r.value()));
        }
        List<String> out = new ArrayList<>();
        byKey.forEach((k, v) -> v.forEach(value -> out.add(k + " " + normalise(value, c))));
        return out;
    }

    /** The run's own names (topics in dead letters, transactional prefixes) are not part of what is compared. */
    static String normalise(String json, PipelineConfig c) {
        return json.replace(c.get(Key.GROUP_ID), "RUN");
    }

    static Map<String, String> snapshots(PipelineConfig c) {
        Map<String, String> latest = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS),
                true)) {
            latest.put(new String(r.key()), new String(r.value()));
        }
        return latest;
    }

    static List<Alert> alerts(PipelineConfig c) {
        return TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_ALERTS), true).stream()
                .map(r -> read(new String(r.value()), Alert.class)).toList();
    }

    static List<Command> commands(Map<String, List<String>> out) {
        return out.get("commands").stream().map(l -> read(l.substring(l.indexOf(' ') + 1), Command.class)).toList();
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(String what, java.util.concurrent.Callable<T> probe) throws Exception {
        return Probes.await(what, Duration.ofMinutes(2), Duration.ofMillis(250), probe);
    }
}
