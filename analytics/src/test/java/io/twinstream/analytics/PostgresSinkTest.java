package io.twinstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.TwinSnapshot;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL sink job on a MiniCluster, from the real broker into a real PostgreSQL server: a TaskManager is
 * killed mid-run, the job restarts from its checkpoint, and the tables end equal to the compacted topics.
 */
class PostgresSinkTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void afterATaskManagerFailureAndRestartTheTablesEqualTheCompactedTopics(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary(); PostgresServer pg = PostgresServer.start()) {
            PipelineConfig pipeline = TwinOutputs.prepare(kafka, "pg");
            PipelineConfig sink = pipeline
                    .with(Key.POSTGRES_URL, pg.jdbcUrl()).with(Key.POSTGRES_USER, pg.user())
                    .with(Key.BOUNDED, "false").with(Key.PARALLELISM, "2").with(Key.CHECKPOINT_INTERVAL, "500 ms")
                    .with(Key.POSTGRES_BATCH_ROWS, "20");
            PostgresSinkJob.createTables(sink);
            // the sink job first, on empty topics; then the pipeline fills them while it runs
            JobClient job = PostgresSinkJob.build(StreamExecutionEnvironment.getExecutionEnvironment(), sink)
                    .execute(PostgresSinkJob.NAME).getJobClient().orElseThrow();
            JobClient twinPipeline = TwinOutputs.start(pipeline);

            // mid-stream, both TaskManagers die; two fresh ones take over and both jobs restart from checkpoints
            awaitRows(pg, 4, Duration.ofMinutes(2));
            cluster.terminateTaskManager(0).get();
            cluster.terminateTaskManager(1).get();
            cluster.startTaskManager();
            cluster.startTaskManager();
            twinPipeline.getJobExecutionResult().get(3, java.util.concurrent.TimeUnit.MINUTES);
            twoWayRecords(pipeline);

            Map<String, TwinSnapshot> twins = TwinOutputs.twins(pipeline);
            Map<String, Alert> alerts = TwinOutputs.alerts(pipeline);
            Map<String, String> expectedTwins = new TreeMap<>();
            twins.values().forEach(t -> expectedTwins.put(t.assetId(), twinRow(t)));
            Map<String, String> expectedAlerts = new TreeMap<>();
            alerts.values().forEach(a -> expectedAlerts.put(a.alertId(), alertRow(a)));
            Map<String, String> expectedHistory = new TreeMap<>();
            for (var r : io.twinstream.jobs.io.TopicReader.readAll(pipeline.kafkaProperties(),
                    pipeline.get(Key.TOPIC_HISTORY), true)) {
                TwinSnapshot h = TwinOutputs.read(r.value(), TwinSnapshot.class);
                expectedHistory.put(h.assetId() + "@" + h.snapshotTime() + "/" + h.reason(), h.status() + " " + h.health());
            }
            Map<String, String> expectedRollups = new TreeMap<>();
            for (var r : io.twinstream.jobs.io.TopicReader.readAll(pipeline.kafkaProperties(),
                    pipeline.get(Key.TOPIC_ROLLUPS), true)) {
                io.twinstream.schemas.Rollup x = TwinOutputs.read(r.value(), io.twinstream.schemas.Rollup.class);
                expectedRollups.put(x.scope() + "/" + x.key() + "/" + x.period() + "/" + x.periodStart(),
                        x.figures().online() + " " + x.figures().consumedKwh());
            }
            Map<String, String> actualRollups = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            Map<String, String> actualTwins = Map.of();
            Map<String, String> actualAlerts = Map.of();
            Map<String, String> actualHistory = Map.of();
            while (System.nanoTime() < deadline) {
                actualTwins = query(pg, "SELECT * FROM twin_snapshots", PostgresSinkTest::twinRow);
                actualAlerts = query(pg, "SELECT * FROM alerts", PostgresSinkTest::alertRow);
                actualHistory = query(pg, "SELECT asset_id || '@' || (EXTRACT(EPOCH FROM snapshot_time) * 1000)::BIGINT "
                        + "|| '/' || reason, status, health FROM twin_history", rs -> rs.getString(2) + " "
                        + (rs.getObject(3) == null ? "null" : String.valueOf(rs.getDouble(3))));
                actualRollups = query(pg, "SELECT scope || '/' || group_key || '/' || period || '/' || "
                        + "(EXTRACT(EPOCH FROM period_start) * 1000)::BIGINT, online, consumed_kwh FROM rollups",
                        rs -> rs.getInt(2) + " " + (rs.getObject(3) == null ? "null" : String.valueOf(rs.getDouble(3))));
                if (actualTwins.equals(expectedTwins) && actualAlerts.equals(expectedAlerts)
                        && actualHistory.equals(expectedHistory) && actualRollups.equals(expectedRollups)) {
                    break;
                }
                Thread.sleep(500);
            }
            JobID id = job.getJobID();
            var graph = cluster.getExecutionGraph(id).get();
            job.cancel().get();
            assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING)).as("the job restarted after the failure").isPositive();
            assertThat(actualTwins).isEqualTo(expectedTwins);
            assertThat(actualAlerts).isEqualTo(expectedAlerts);
            assertThat(expectedAlerts.values()).anyMatch(r -> r.contains("RESOLVED"));
            assertThat(actualHistory).as("the history table, one row per history record").isEqualTo(expectedHistory);
            assertThat(actualRollups).as("the roll-ups table, one row per roll-up").isNotEmpty()
                    .isEqualTo(expectedRollups);
            assertThat(expectedTwins.values()).as("pumps' energy in twin_snapshots").anyMatch(r -> !r.endsWith("|null"));
            // the documented as-of form: every twin of one site as it was at a time in the middle of the run
            String some = expectedHistory.keySet().iterator().next();
            TwinSnapshot any = twins.get(some.substring(0, some.indexOf('@')));
            long t = (any.firstSeen() + any.lastSeen()) / 2;
            Map<String, String> asOf = query(pg, "SELECT DISTINCT ON (asset_id) asset_id, status, snapshot_time FROM "
                    + "twin_history WHERE site_id = '" + any.siteId() + "' AND snapshot_time <= TIMESTAMP '"
                    + java.sql.Timestamp.from(java.time.Instant.ofEpochMilli(t)).toInstant().toString().replace('T', ' ')
                            .replace("Z", "") + "' ORDER BY asset_id, snapshot_time DESC",
                    rs -> rs.getString(2) + " " + rs.getTimestamp(3).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC));
            Map<String, String> expectedAsOf = new TreeMap<>();
            for (var r : io.twinstream.jobs.io.TopicReader.readAll(pipeline.kafkaProperties(),
                    pipeline.get(Key.TOPIC_HISTORY), true)) {
                TwinSnapshot h = TwinOutputs.read(r.value(), TwinSnapshot.class);
                if (h.siteId().equals(any.siteId()) && h.snapshotTime() <= t) {
                    expectedAsOf.put(h.assetId(), h.status() + " " + java.time.Instant.ofEpochMilli(h.snapshotTime()));
                }
            }
            assertThat(expectedAsOf).isNotEmpty();
            assertThat(asOf).isEqualTo(expectedAsOf);
        }
    }

    interface RowFormat {
        String format(ResultSet rs) throws SQLException;
    }

    static Map<String, String> query(PostgresServer pg, String sql, RowFormat format) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), format.format(rs));
            }
        }
        return rows;
    }

    static void awaitRows(PostgresServer pg, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (query(pg, "SELECT asset_id FROM twin_snapshots", rs -> "").size() >= n) {
                    return;
                }
            } catch (SQLException e) {
                // the table is being created
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no rows reached PostgreSQL in time");
    }

    /**
     * What a run with desired states and operators adds, written as the pipeline writes it: one twin's snapshot with a
     * settable property, a pending command and a silence; one alert acknowledged, assigned and annotated.
     */
    static void twoWayRecords(PipelineConfig pipeline) throws Exception {
        TwinSnapshot t = TwinOutputs.twins(pipeline).values().iterator().next();
        TwinSnapshot controlled = t.withControl(t.openAlerts(), Map.of("target_flow_m3h",
                new io.twinstream.schemas.PropertyState(250.0, 180.0, t.lastSeen(), false, t.lastSeen() - 1_000)),
                java.util.List.of(new io.twinstream.schemas.CommandStatus("c-1", "set", "target_flow_m3h", 250.0,
                        io.twinstream.schemas.CommandStatus.State.ACKED, t.lastSeen() - 1_000, t.lastSeen() + 60_000,
                        t.lastSeen() - 500, null)),
                new TwinSnapshot.Silence(t.lastSeen() + 3_600_000, "ops", "maintenance"));
        Alert a = TwinOutputs.alerts(pipeline).values().iterator().next();
        Alert acked = a.annotated(Alert.AlertState.UPDATED, a.updatedAt(), "acknowledged", true, "alice",
                a.updatedAt(), "bob", "on it");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(pipeline.kafkaProperties(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(pipeline.get(Key.TOPIC_SNAPSHOTS),
                    controlled.assetId(), Json.MAPPER.writeValueAsString(controlled))).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(pipeline.get(Key.TOPIC_ALERTS),
                    acked.alertId(), Json.MAPPER.writeValueAsString(acked))).get();
        }
    }

    // One comparable line per row, from the database and from the topic alike; JSON compared as trees.

    static String twinRow(ResultSet rs) throws SQLException {
        return String.join("|", rs.getString("asset_type"), rs.getString("site_id"), rs.getString("status"),
                millis(rs.getTimestamp("first_seen")), millis(rs.getTimestamp("last_seen")), rs.getString("last_seq"),
                rs.getString("events_accepted"), rs.getString("duplicates_dropped"), rs.getString("out_of_range_sensors"),
                String.valueOf(rs.getObject("health")), String.valueOf(rs.getObject("open_alerts")),
                millis(rs.getTimestamp("snapshot_time")), rs.getString("reason"),
                tree(rs.getString("sensors")), tree(rs.getString("maintenance")),
                String.valueOf(rs.getObject("model_version")), rs.getString("display_name"), rs.getString("parent_id"),
                String.valueOf(rs.getObject("latitude")), rs.getString("tags") == null ? "null" : tree(rs.getString("tags")),
                tree(rs.getString("properties")), tree(rs.getString("commands")),
                millis(rs.getTimestamp("silenced_until")), energy(rs.getString("energy")));
    }

    /** The energy columns both sides carry: totals and the hour in progress. */
    static String energy(String json) {
        if (json == null) {
            return "null";
        }
        try {
            com.fasterxml.jackson.databind.JsonNode e = Json.MAPPER.readTree(json);
            return e.path("totalProducedKwh").asDouble() + "/" + e.path("totalConsumedKwh").asDouble() + "/"
                    + e.path("hour").path("consumedKwh").asDouble();
        } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
        }
    }

    static String twinRow(TwinSnapshot t) {
        return String.join("|", t.assetType(), t.siteId(), t.status().name(), String.valueOf(t.firstSeen()),
                String.valueOf(t.lastSeen()), String.valueOf(t.lastSeq()), String.valueOf(t.eventsAccepted()),
                String.valueOf(t.duplicatesDropped()), String.valueOf(t.outOfRangeSensors()), String.valueOf(t.health()),
                String.valueOf(t.openAlerts()), String.valueOf(t.snapshotTime()), t.reason().name(),
                tree(Json.MAPPER.valueToTree(t.sensors())), tree(Json.MAPPER.valueToTree(t.maintenance())),
                String.valueOf(t.modelVersion()), t.registry() == null ? null : t.registry().displayName(),
                t.registry() == null ? null : t.registry().parentId(),
                String.valueOf(t.registry() == null ? null : t.registry().latitude()),
                t.registry() == null ? "null" : tree(Json.MAPPER.valueToTree(t.registry().tags())),
                t.properties() == null ? "null" : tree(Json.MAPPER.valueToTree(t.properties())),
                t.commands() == null ? "null" : tree(Json.MAPPER.valueToTree(t.commands())),
                String.valueOf(t.silence() == null ? null : t.silence().until()),
                t.energy() == null ? "null" : t.energy().totalProducedKwh() + "/" + t.energy().totalConsumedKwh() + "/"
                        + (t.energy().hour() == null ? 0.0 : t.energy().hour().consumedKwh()));
    }

    static String alertRow(ResultSet rs) throws SQLException {
        return String.join("|", rs.getString("asset_id"), rs.getString("asset_type"), rs.getString("site_id"),
                rs.getString("kind"), rs.getString("state"), rs.getString("severity"), rs.getString("sensor"),
                rs.getString("detector"), String.valueOf(rs.getDouble("score")), String.valueOf(rs.getDouble("observed")),
                String.valueOf(rs.getDouble("expected")), rs.getString("reason"), millis(rs.getTimestamp("started_at")),
                millis(rs.getTimestamp("updated_at")), millis(rs.getTimestamp("resolved_at")),
                tree(rs.getString("current_values")), rs.getString("display_name"), rs.getString("parent_id"),
                String.valueOf(rs.getObject("acknowledged")), rs.getString("acknowledged_by"),
                millis(rs.getTimestamp("acknowledged_at")), rs.getString("assignee"), rs.getString("note"));
    }

    static String alertRow(Alert a) {
        return String.join("|", a.assetId(), a.assetType(), a.siteId(), a.kind().name(), a.state().name(),
                a.severity().name(), a.sensor(), a.detector() == null ? null : a.detector().name(),
                String.valueOf(a.score()), String.valueOf(a.observed()), String.valueOf(a.expected()), a.reason(),
                String.valueOf(a.startedAt()), String.valueOf(a.updatedAt()), String.valueOf(a.resolvedAt()),
                tree(Json.MAPPER.valueToTree(a.currentValues())), a.registry() == null ? null : a.registry().displayName(),
                a.registry() == null ? null : a.registry().parentId(), String.valueOf(a.acknowledged()),
                a.acknowledgedBy(), String.valueOf(a.acknowledgedAt()), a.assignee(), a.note());
    }

    /** Timestamps are written as UTC wall-clock times (table.local-time-zone = UTC); read them back the same way. */
    static String millis(Timestamp ts) {
        return ts == null ? "null" : String.valueOf(ts.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC).toEpochMilli());
    }

    static String tree(String json) {
        try {
            return json == null ? "null" : tree(Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A canonical text of a JSON tree: keys sorted, numbers as doubles. */
    static String tree(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            Map<String, String> fields = new TreeMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), tree(e.getValue())));
            return fields.toString();
        }
        if (node.isNumber()) {
            return String.valueOf(node.doubleValue());
        }
        return node.asText();
    }
}
