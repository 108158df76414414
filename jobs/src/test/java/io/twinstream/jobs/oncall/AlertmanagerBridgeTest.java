package io.twinstream.jobs.oncall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.jobs.faulttolerance.PipelineFixture;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.Alert.Severity;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
 * The bridge job on a MiniCluster, between the real broker and a real Alertmanager (the Debian package's server),
 * whose webhook notifications the test receives: what Alertmanager holds and what it pages are both checked.
 */
class AlertmanagerBridgeTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    /** Event times a few minutes back, as a live pipeline's are: an incident's end is then in the past. */
    final long t0 = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    KafkaProducer<String, String> producer;
    PipelineConfig c;

    @Test
    void incidentsFireResendRelabelAndResolveInAlertmanagerAndAReplayPagesNothingAgain(@TempDir Path dir)
            throws Exception {
        try (AlertmanagerServer am = new AlertmanagerServer(dir); EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            // one partition: the sentinel below comes after all else
            bridgeOn(kafka, am, c -> c.with(Key.ALERTMANAGER_GROUP_ID, "bridge-1")
                    .with(Key.ALERTMANAGER_ENDS_AFTER, "3 s"));

            Alert hot = alert("pump-1", AlertKind.ANOMALY, AlertState.OPENED, Severity.WARNING, 0);
            Alert offline = alert("pump-2", AlertKind.OFFLINE, AlertState.OPENED, Severity.WARNING, 0);
            send(hot);
            send(offline);
            publish("junk", "{not json");
            publish("no-id", "{\"schemaVersion\":1,\"kind\":\"ANOMALY\"}");
            JobClient bridge = start(c);

            JsonNode firing = await("pump-1 firing in Alertmanager", () -> active(am, hot.alertId()));
            assertThat(labels(firing)).isEqualTo(Map.of("alertname", "TwinstreamAssetAnomaly",
                    "alert_id", hot.alertId(), "asset", "pump-1", "site", "site-a", "asset_type", "INDUSTRIAL_PUMP",
                    "kind", "anomaly", "severity", "warning", "sensor", "bearing_temp_c"));
            assertThat(firing.path("annotations").path("observed").asText()).isEqualTo("81.5");
            assertThat(firing.path("annotations").path("expected").asText()).isEqualTo("60.0");
            assertThat(firing.path("annotations").path("reason").asText()).isEqualTo(hot.reason());
            assertThat(Json.MAPPER.readTree(firing.path("annotations").path("current_values").asText())
                    .path("bearing_temp_c").asDouble()).isEqualTo(81.5);
            assertThat(Instant.parse(firing.path("startsAt").asText())).isEqualTo(Instant.ofEpochMilli(t0));
            JsonNode down = await("pump-2 firing", () -> active(am, offline.alertId()));
            assertThat(labels(down)).containsEntry("alertname", "TwinstreamAssetOffline").doesNotContainKey("sensor");

            // re-sent: each send moves endsAt on; without re-sends Alertmanager would resolve it 3 s after the first
            Instant firstEnd = Instant.parse(firing.path("endsAt").asText());
            await("pump-1 re-sent", () -> {
                JsonNode now = active(am, hot.alertId());
                return now != null && Instant.parse(now.path("endsAt").asText()).isAfter(firstEnd.plusSeconds(2));
            });
            assertThat(notifications(am, hot.alertId(), "firing")).as("one page for the incident, not one per re-send")
                    .hasSize(1);

            List<DeadLetter> dead = await("two dead letters", () -> {
                List<DeadLetter> d = deadLetters();
                return d.size() == 2 ? d : null;
            });
            assertThat(dead).extracting(DeadLetter::reasonCode)
                    .containsExactly(RejectReason.MALFORMED_JSON, RejectReason.SCHEMA_VIOLATION);

            send(alert("pump-1", AlertKind.ANOMALY, AlertState.UPDATED, Severity.CRITICAL, 60));
            await("pump-1 critical, and only critical", () -> {
                List<JsonNode> mine = activeAll(am, hot.alertId());
                return mine.size() == 1 && "critical".equals(mine.get(0).path("labels").path("severity").asText());
            });

            send(alert("pump-1", AlertKind.ANOMALY, AlertState.RESOLVED, Severity.CRITICAL, 120));
            JsonNode resolved = await("a resolved notification for pump-1",
                    () -> notifications(am, hot.alertId(), "resolved").stream()
                            .filter(n -> "critical".equals(n.path("labels").path("severity").asText()))
                            .findFirst().orElse(null));
            assertThat(Instant.parse(resolved.path("endsAt").asText())).isEqualTo(Instant.ofEpochMilli(t0 + 120_000));
            assertThat(activeAll(am, hot.alertId())).isEmpty();
            bridge.cancel().get();

            // a new bridge (a new consumer group, no state) reads the whole topic again
            int pagesBefore = notifications(am, hot.alertId(), "firing").size();
            JobClient replay = start(c.with(Key.ALERTMANAGER_GROUP_ID, "bridge-2"));
            Alert sentinel = alert("pump-3", AlertKind.OFFLINE, AlertState.OPENED, Severity.WARNING, 300);
            send(sentinel);
            await("the replay read up to the sentinel", () -> active(am, sentinel.alertId()));
            assertThat(activeAll(am, hot.alertId())).as("the resolved incident stays resolved").isEmpty();
            assertThat(active(am, offline.alertId())).as("the open incident is still held").isNotNull();
            assertThat(notifications(am, hot.alertId(), "firing")).as("no new page for a resolved incident")
                    .hasSize(pagesBefore);
            replay.cancel().get();
            producer.close();
        }
    }

    /**
     * A site outage in Alertmanager with the inhibit rule docs/fleet-view.md gives: the site's asset alerts are held
     * but suppressed (inhibited by it) and page nobody; an asset of another site pages as usual.
     */
    @Test
    void aSiteOutageInhibitsItsAssetsAlertsWithTheDocumentedRule(@TempDir Path dir) throws Exception {
        try (AlertmanagerServer am = new AlertmanagerServer(dir); EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            bridgeOn(kafka, am, c -> c);
            Alert outage = new Alert(1, "site-a/SITE_OUTAGE/" + t0, "site-a", "site", "site-a", AlertKind.SITE_OUTAGE,
                    AlertState.OPENED, Severity.CRITICAL, null, Detector.NONE, 1.0, 3, 0,
                    "3 of 3 assets at site site-a offline or alerting (3 offline)", t0, t0, null, Map.of(), null, null,
                    null, null, null, null, List.of("pump-1:OFFLINE:" + t0, "pump-2:OFFLINE:" + t0));
            send(outage);
            // the site's assets raise their own alerts first: Alertmanager must not page for them once it knows
            Alert one = alert("pump-1", AlertKind.OFFLINE, AlertState.OPENED, Severity.WARNING, 0);
            Alert two = alert("pump-2", AlertKind.OFFLINE, AlertState.OPENED, Severity.WARNING, 0);
            Alert elsewhere = new Alert(1, "pump-9:OFFLINE:" + t0, "pump-9", "INDUSTRIAL_PUMP", "site-b",
                    AlertKind.OFFLINE, AlertState.OPENED, Severity.WARNING, null, null, 1.0, 0, 0, "no readings", t0, t0,
                    null, Map.of(), null);
            send(one);
            send(two);
            send(elsewhere);
            JobClient bridge = start(c);

            JsonNode site = await("the outage in Alertmanager", () -> active(am, outage.alertId()));
            assertThat(labels(site)).containsEntry("alertname", "TwinstreamSiteOutage").containsEntry("site", "site-a");
            for (Alert a : List.of(one, two)) {
                JsonNode held = await(a.assetId() + " held, inhibited by the outage", () -> {
                    JsonNode x = active(am, a.alertId());
                    return x != null && "suppressed".equals(x.path("status").path("state").asText()) ? x : null;
                });
                assertThat(held.path("status").path("inhibitedBy")).isNotEmpty();
            }
            await("the other site's alert paged", () -> notifications(am, elsewhere.alertId(), "firing").isEmpty()
                    ? null : true);
            await("the outage paged", () -> notifications(am, outage.alertId(), "firing").isEmpty() ? null : true);
            Thread.sleep(3_000); // a few more group intervals: an inhibited alert would have paged by now
            assertThat(notifications(am, one.alertId(), "firing")).isEmpty();
            assertThat(notifications(am, two.alertId(), "firing")).isEmpty();
            assertThat(active(am, elsewhere.alertId()).path("status").path("state").asText()).isEqualTo("active");
            bridge.cancel().get();
            producer.close();
        }
    }

    /**
     * The whole path: the generator's fleet through the running pipeline onto the alerts topic, and the bridge from
     * there into Alertmanager. Input goes in two-minute slices until the pipeline has an anomaly incident open; then
     * Alertmanager must hold it with the incident's labels, and once the rest of the input resolves it, end it.
     */
    @Test
    void anAnomalyThePipelineRaisesFiresInAlertmanagerAndEndsWhenItResolves(@TempDir Path dir) throws Exception {
        try (AlertmanagerServer am = new AlertmanagerServer(dir); EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            List<GeneratedRecord> records = PipelineFixture.generate(PipelineFixture.fleet(11, 4, 60).build());
            kafka.createTopic("e2e.in", 2, Map.of());
            c = fixture.run("e2e", "e2e.in")
                    .with(Key.BOUNDED, "false")
                    .with(Key.DELIVERY_GUARANTEE, "at-least-once")
                    .with(Key.ALERTMANAGER_URL, am.url)
                    .with(Key.ALERTMANAGER_GROUP_ID, "e2e-bridge")
                    .with(Key.ALERTMANAGER_FIRST_SEND_DELAY, "200 ms")
                    .with(Key.ALERTMANAGER_RESEND_INTERVAL, "1 s")
                    .with(Key.ALERTMANAGER_ENDS_AFTER, "3 s");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            io.twinstream.jobs.TwinPipeline.build(env, c, c.models(), new KafkaPipelineIo(c));
            JobClient pipeline = env.executeAsync("twinstream-pipeline");
            JobClient bridge = start(c.with(Key.PARALLELISM, "1"));

            Alert open = null;
            int sent = 0;
            long sliceEnd = records.get(0).reading().timestamp();
            while (open == null && sent < records.size()) {
                sliceEnd += 120_000;
                List<GeneratedRecord> slice = new java.util.ArrayList<>();
                while (sent < records.size() && records.get(sent).reading().timestamp() < sliceEnd) {
                    slice.add(records.get(sent++));
                }
                fixture.send(slice, "e2e.in");
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (open == null && System.nanoTime() < until) {
                    open = openAnomaly(alertsByIncident());
                    Thread.sleep(100);
                }
            }
            assertThat(open).as("the pipeline opened an anomaly incident on the generator's faults").isNotNull();
            String id = open.alertId();
            JsonNode firing = await("the pipeline's incident in Alertmanager", () -> active(am, id));
            Alert latest = latestOf(id);
            assertThat(labels(firing)).containsEntry("asset", latest.assetId()).containsEntry("site", latest.siteId())
                    .containsEntry("asset_type", latest.assetType()).containsEntry("kind", "anomaly")
                    .containsEntry("sensor", latest.sensor())
                    .containsEntry("severity", latest.severity().name().toLowerCase(java.util.Locale.ROOT));
            assertThat(Instant.parse(firing.path("startsAt").asText())).isEqualTo(Instant.ofEpochMilli(open.startedAt()));

            fixture.send(records.subList(sent, records.size()), "e2e.in");
            Alert resolved = await("the incident resolved by the pipeline", () -> {
                Alert a = latestOf(id);
                return a.state() == AlertState.RESOLVED ? a : null;
            });
            JsonNode ended = await("Alertmanager's resolved notification", () -> notifications(am, id, "resolved")
                    .stream().findFirst().orElse(null));
            assertThat(Instant.parse(ended.path("endsAt").asText()))
                    .isEqualTo(Instant.ofEpochMilli(resolved.resolvedAt()));
            assertThat(activeAll(am, id)).isEmpty();
            bridge.cancel().get();
            pipeline.cancel().get();
        }
    }

    /** Every event on the alerts topic, by incident, in order. */
    Map<String, List<Alert>> alertsByIncident() {
        Map<String, List<Alert>> out = new java.util.LinkedHashMap<>();
        for (var r : TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_ALERTS), false)) {
            Alert a = read(r.value(), Alert.class);
            out.computeIfAbsent(a.alertId(), k -> new java.util.ArrayList<>()).add(a);
        }
        return out;
    }

    Alert latestOf(String id) {
        List<Alert> events = alertsByIncident().get(id);
        return events.get(events.size() - 1);
    }

    static Alert openAnomaly(Map<String, List<Alert>> incidents) {
        for (List<Alert> events : incidents.values()) {
            Alert last = events.get(events.size() - 1);
            if (last.kind() == AlertKind.ANOMALY && last.state() != AlertState.RESOLVED) {
                return events.get(0);
            }
        }
        return null;
    }

    /** Single-partition alert and dead-letter topics, a bridge's settings for {@code am} ({@code more} adds some), a producer. */
    void bridgeOn(EmbeddedKafka kafka, AlertmanagerServer am, java.util.function.UnaryOperator<PipelineConfig> more)
            throws Exception {
        kafka.createTopic("am.alerts", 1, Map.of());
        kafka.createTopic("am.dlq", 1, Map.of());
        c = more.apply(PipelineConfig.defaults()
                .with(Key.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(Key.TOPIC_ALERTS, "am.alerts")
                .with(Key.TOPIC_DEAD_LETTER, "am.dlq")
                .with(Key.ALERTMANAGER_URL, am.url)
                .with(Key.ALERTMANAGER_FIRST_SEND_DELAY, "500 ms")
                .with(Key.ALERTMANAGER_RESEND_INTERVAL, "1 s")
                .with(Key.CHECKPOINT_INTERVAL, "500 ms")
                .with(Key.PARALLELISM, "1"));
        producer = new KafkaProducer<>(c.kafkaProperties(), new StringSerializer(), new StringSerializer());
    }

    Alert alert(String asset, AlertKind kind, AlertState state, Severity severity, int secondsAfterStart) {
        long at = t0 + secondsAfterStart * 1_000L;
        boolean anomaly = kind == AlertKind.ANOMALY;
        return new Alert(1, asset + ":" + kind + ":" + t0, asset, "INDUSTRIAL_PUMP", "site-a", kind, state, severity,
                anomaly ? "bearing_temp_c" : null, anomaly ? Detector.SHIFT : null, anomaly ? 0.93 : 1.0,
                anomaly ? 81.5 : 0, anomaly ? 60.0 : 0, anomaly ? "bearing_temp_c 81.5 °C, expected 60.0" : "no readings",
                t0, at, state == AlertState.RESOLVED ? at : null, Map.of("bearing_temp_c", 81.5), null);
    }

    void send(Alert a) throws Exception {
        publish(a.alertId(), Json.MAPPER.writeValueAsString(a));
    }

    void publish(String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(c.get(Key.TOPIC_ALERTS), key, value)).get();
    }

    static JobClient start(PipelineConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(io.twinstream.jobs.TwinPipeline.flinkConfiguration(c));
        KafkaPipelineIo kafka = new KafkaPipelineIo(c);
        AlertmanagerBridgeJob.build(env, c, AlertmanagerBridgeJob.alertSource(env, c), AlertmanagerBridgeJob.sink(c),
                d -> d.sinkTo(kafka.sink(c.get(Key.TOPIC_DEAD_LETTER), DeadLetter.class, x -> null, "dlq",
                        KafkaPipelineIo.Batching.PROMPT)));
        return env.executeAsync("alertmanager-bridge");
    }

    List<DeadLetter> deadLetters() throws Exception {
        return TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_DEAD_LETTER), true).stream()
                .map(r -> read(r.value(), DeadLetter.class)).toList();
    }

    static <T> T read(byte[] json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode active(AlertmanagerServer am, String alertId) throws Exception {
        List<JsonNode> all = activeAll(am, alertId);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<JsonNode> activeAll(AlertmanagerServer am, String alertId) throws Exception {
        return am.activeAlerts().stream().filter(a -> alertId.equals(a.path("labels").path("alert_id").asText()))
                .toList();
    }

    static List<JsonNode> notifications(AlertmanagerServer am, String alertId, String status) {
        return am.notifications.stream().filter(n -> alertId.equals(n.path("labels").path("alert_id").asText())
                && status.equals(n.path("status").asText())).toList();
    }

    static Map<String, String> labels(JsonNode alert) {
        return Json.MAPPER.convertValue(alert.path("labels"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    }

    static <T> T await(String what, Callable<T> probe) throws Exception {
        return io.twinstream.jobs.testing.Probes.await(what, Duration.ofSeconds(60), Duration.ofMillis(100), probe);
    }
}
