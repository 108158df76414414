package io.twinstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.TwinSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped example queries over real pipeline output (upsert-kafka and kafka tables on the real broker, on a
 * MiniCluster), each checked against the same answer computed directly from the topics.
 */
class SqlQueryTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static EmbeddedKafka kafka;
    static PipelineConfig config;
    static Map<String, TwinSnapshot> twins;
    static Map<String, Alert> alerts;

    @BeforeAll
    static void producePipelineOutput() throws Exception {
        kafka = EmbeddedKafka.startTemporary();
        config = TwinOutputs.produce(kafka, "sql");
        twins = TwinOutputs.twins(config);
        alerts = TwinOutputs.alerts(config);
        assertThat(twins).hasSize(16);
        assertThat(alerts.values()).extracting(Alert::state).contains(Alert.AlertState.RESOLVED);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    static QueryResult example(String name) throws Exception {
        QueryResult r = SqlQuery.run(config, SqlQuery.example(name));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.sorted(SqlQuery.sortHint(SqlQuery.example(name))).print(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.out.println(name + ":\n" + out.toString(StandardCharsets.UTF_8));
        return r;
    }

    static Map<Object, Row> bySite(QueryResult r, String column) {
        int i = r.index(column);
        return r.rows().stream().collect(Collectors.toMap(row -> row.getField(i), row -> row));
    }

    /** Every history record, per asset in its order. */
    static Map<String, List<TwinSnapshot>> history() {
        Map<String, List<TwinSnapshot>> byAsset = new java.util.TreeMap<>();
        for (var r : io.twinstream.jobs.io.TopicReader.readAll(config.kafkaProperties(),
                config.get(PipelineConfig.Key.TOPIC_HISTORY), true)) {
            TwinSnapshot s = TwinOutputs.read(r.value(), TwinSnapshot.class);
            byAsset.computeIfAbsent(s.assetId(), k -> new java.util.ArrayList<>()).add(s);
        }
        return byAsset;
    }

    @Test
    void theHistoryKeepsEverySnapshotOfEveryTwin() {
        Map<String, List<TwinSnapshot>> history = history();
        Map<String, List<String>> snapshots = io.twinstream.jobs.faulttolerance.PipelineFixture.byKey(
                config.kafkaProperties(), config.get(PipelineConfig.Key.TOPIC_SNAPSHOTS));
        assertThat(history.keySet()).isEqualTo(twins.keySet());
        history.forEach((asset, h) -> assertThat(h).as(asset).isEqualTo(snapshots.get(asset).stream()
                .map(json -> TwinOutputs.read(json.getBytes(StandardCharsets.UTF_8), TwinSnapshot.class)).toList()));
        // what docs/fleet-view.md gives as bytes per asset-day: the JSON written, and the log on the broker's disk
        long json = 0;
        long records = 0;
        for (var r : io.twinstream.jobs.io.TopicReader.readAll(config.kafkaProperties(),
                config.get(PipelineConfig.Key.TOPIC_HISTORY), true)) {
            json += r.value().length;
            records++;
        }
        long onDisk = 0;
        try (var admin = kafka.admin()) {
            for (var dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
                for (var d : dirs.values()) {
                    for (var e : d.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(config.get(PipelineConfig.Key.TOPIC_HISTORY))) {
                            onDisk += e.getValue().size();
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        double assetDays = twins.size() * 30.0 / 1_440; // 16 assets, 30 simulated minutes
        System.out.printf("history: %d records, %.0f JSON bytes and %.0f bytes on disk (lz4 batches) per asset-day%n",
                records, json / assetDays, onDisk / assetDays);
        assertThat(onDisk).isPositive().isLessThan(json);
    }

    @Test
    void asOfATimeGivesEachTwinAsItsNewestHistoryRecordThenSaid() throws Exception {
        Map<String, List<TwinSnapshot>> history = history();
        String asset = history.keySet().iterator().next();
        List<TwinSnapshot> h = history.get(asset);
        TwinSnapshot middle = h.get(h.size() / 2);
        long t = middle.snapshotTime() + 1; // just after it: it is still the one in force
        QueryResult one = SqlQuery.run(config, SqlQuery.asOf(t, asset, null));
        assertThat(one.rows()).singleElement().satisfies(row -> {
            assertThat(row.getField(one.index("snapshotTime"))).isEqualTo(middle.snapshotTime());
            assertThat(row.getField(one.index("status"))).isEqualTo(middle.status().name());
        });

        String site = middle.siteId();
        QueryResult all = SqlQuery.run(config, SqlQuery.asOf(t, null, site));
        Map<String, TwinSnapshot> expected = new java.util.TreeMap<>();
        history.forEach((id, list) -> list.stream().filter(s -> s.snapshotTime() <= t).reduce((a, b) -> b)
                .filter(s -> site.equals(s.siteId())).ifPresent(s -> expected.put(id, s)));
        assertThat(expected).isNotEmpty();
        assertThat(all.column("assetId")).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Row row : all.rows()) {
            TwinSnapshot s = expected.get((String) row.getField(all.index("assetId")));
            assertThat(row.getField(all.index("snapshotTime"))).isEqualTo(s.snapshotTime());
            assertThat(row.getField(all.index("status"))).isEqualTo(s.status().name());
        }
    }

    @Test
    void siteRollupsOfTheLastHourAreTheRollupTopicsSiteMinutes() throws Exception {
        QueryResult r = example("site-rollups-last-hour");
        List<io.twinstream.schemas.Rollup> topic = io.twinstream.jobs.io.TopicReader.readAll(config.kafkaProperties(),
                config.get(PipelineConfig.Key.TOPIC_ROLLUPS), true).stream()
                .map(rec -> TwinOutputs.read(rec.value(), io.twinstream.schemas.Rollup.class))
                .filter(x -> x.scope() == io.twinstream.schemas.Rollup.Scope.SITE && x.period().equals("PT1M")).toList();
        assertThat(topic).isNotEmpty();
        assertThat(r.rows()).hasSize(topic.size()); // the run is 30 minutes: all of it is the last hour
        long offline = topic.stream().mapToLong(x -> x.figures().offline()).sum();
        assertThat(r.column("offline").stream().mapToLong(o -> ((Number) o).longValue()).sum()).isEqualTo(offline);
    }

    @Test
    void fleetHealthBySite() throws Exception {
        QueryResult r = example("fleet-health-by-site");
        Map<String, List<TwinSnapshot>> sites = twins.values().stream().collect(Collectors.groupingBy(TwinSnapshot::siteId));
        assertThat(r.rows()).hasSize(sites.size());
        Map<Object, Row> rows = bySite(r, "siteId");
        for (var e : sites.entrySet()) {
            Row row = rows.get(e.getKey());
            List<TwinSnapshot> site = e.getValue();
            assertThat(((Number) row.getField(r.index("assets"))).longValue()).isEqualTo(site.size());
            assertThat(((Number) row.getField(r.index("online"))).longValue())
                    .isEqualTo(site.stream().filter(t -> t.status() == AssetStatus.ONLINE).count());
            assertThat(((Number) row.getField(r.index("offline"))).longValue())
                    .isEqualTo(site.stream().filter(t -> t.status() == AssetStatus.OFFLINE).count());
            double meanHealth = site.stream().map(TwinSnapshot::health).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(((Number) row.getField(r.index("mean_health"))).doubleValue()).isCloseTo(meanHealth, within(0.0006));
            assertThat(((Number) row.getField(r.index("open_alerts"))).longValue()).isEqualTo(
                    site.stream().map(TwinSnapshot::openAlerts).filter(Objects::nonNull).mapToLong(Integer::longValue).sum());
        }
    }

    @Test
    void assetsBySiteAndParentGroupTheRegisteredAssetsByTheRegistrysHierarchy() throws Exception {
        QueryResult r = example("assets-by-site-and-parent");
        Map<String, List<TwinSnapshot>> parents = twins.values().stream().filter(t -> t.registry() != null)
                .collect(Collectors.groupingBy(t -> t.siteId() + "/" + t.registry().parentId()));
        assertThat(parents).as("the registry's site and parents, not the readings'")
                .containsOnlyKeys("campus-x/line-1", "campus-x/line-2");
        assertThat(parents.values().stream().mapToInt(List::size).sum()).isEqualTo(TwinOutputs.REGISTERED);
        assertThat(r.rows()).hasSize(2);
        for (Row row : r.rows()) {
            List<TwinSnapshot> group = parents.get(row.getField(r.index("siteId")) + "/" + row.getField(r.index("parentId")));
            assertThat(((Number) row.getField(r.index("assets"))).longValue()).isEqualTo(group.size());
            assertThat(((Number) row.getField(r.index("online"))).longValue())
                    .isEqualTo(group.stream().filter(t -> t.status() == AssetStatus.ONLINE).count());
        }
    }

    @Test
    void openAlertsBySeverity() throws Exception {
        QueryResult r = example("open-alerts-by-severity");
        Map<String, Long> expected = alerts.values().stream().filter(a -> a.state() != Alert.AlertState.RESOLVED)
                .collect(Collectors.groupingBy(a -> a.severity() + "/" + a.kind(), Collectors.counting()));
        Map<String, Long> actual = new HashMap<>();
        for (Row row : r.rows()) {
            actual.put(row.getField(r.index("severity")) + "/" + row.getField(r.index("kind")),
                    ((Number) row.getField(r.index("open_alerts"))).longValue());
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * Every open critical alert is older than 15 minutes (the fleet's event times are in the past) and unacknowledged:
     * the query lists each. Then one is acknowledged as the job does after {@code bin/twinstream alerts ack} (an UPDATED
     * event of the incident, acknowledged), and the query no longer lists it.
     */
    @Test
    void unacknowledgedCriticalAlertsOlderThanFifteenMinutes() throws Exception {
        List<String> critical = alerts.values().stream().filter(a -> a.state() != Alert.AlertState.RESOLVED
                && a.severity() == Alert.Severity.CRITICAL).map(Alert::alertId).sorted().toList();
        assertThat(critical).as("the fleet has an open critical alert").isNotEmpty();
        QueryResult before = example("unacknowledged-critical-alerts");
        assertThat(before.rows().stream().map(row -> row.getField(before.index("alertId"))).toList())
                .containsExactlyInAnyOrderElementsOf(critical);

        Alert open = alerts.get(critical.get(0));
        Alert acked = open.annotated(Alert.AlertState.UPDATED, open.updatedAt(), "acknowledged", true, "alice",
                open.updatedAt(), "bob", "on it");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(config.kafkaProperties(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(config.get(
                    io.twinstream.jobs.config.PipelineConfig.Key.TOPIC_ALERTS), acked.alertId(),
                    io.twinstream.schemas.Json.MAPPER.writeValueAsString(acked))).get();
        }
        QueryResult after = example("unacknowledged-critical-alerts");
        assertThat(after.rows().stream().map(row -> row.getField(after.index("alertId"))).toList())
                .containsExactlyInAnyOrderElementsOf(critical.subList(1, critical.size()));
        // and the acknowledgement reads back in the alert tables' new columns
        QueryResult back = SqlQuery.run(config, "SELECT acknowledged, acknowledgedBy, assignee, note FROM alerts "
                + "WHERE alertId = '" + acked.alertId() + "'");
        assertThat(back.rows()).singleElement().satisfies(row -> {
            assertThat(row.getField(0)).isEqualTo(true);
            assertThat(row.getField(1)).isEqualTo("alice");
            assertThat(row.getField(2)).isEqualTo("bob");
            assertThat(row.getField(3)).isEqualTo("on it");
        });
        QueryResult twinColumns = SqlQuery.run(config, "SELECT COUNT(*) FROM twins WHERE properties IS NULL "
                + "AND commands IS NULL AND silence IS NULL");
        assertThat(((Number) twinColumns.rows().get(0).getField(0)).longValue())
                .as("no desired state, command or silence in this run").isEqualTo(twins.size());
    }

    @Test
    void meanTimeToResolvePerAssetType() throws Exception {
        QueryResult r = example("mean-time-to-resolve");
        Map<String, List<Alert>> resolved = TwinOutputs.alertEvents(config).stream()
                .filter(a -> a.state() == Alert.AlertState.RESOLVED).collect(Collectors.groupingBy(Alert::assetType));
        assertThat(resolved).isNotEmpty();
        assertThat(r.rows()).hasSize(resolved.size());
        Map<Object, Row> rows = bySite(r, "assetType");
        for (var e : resolved.entrySet()) {
            Row row = rows.get(e.getKey());
            assertThat(((Number) row.getField(r.index("resolved_alerts"))).longValue()).isEqualTo(e.getValue().size());
            double mean = e.getValue().stream().mapToLong(a -> a.resolvedAt() - a.startedAt()).average().orElseThrow() / 1000;
            assertThat(((Number) row.getField(r.index("mean_seconds_to_resolve"))).doubleValue()).isCloseTo(mean, within(0.051));
        }
    }

    @Test
    void topAnomalousAssets() throws Exception {
        QueryResult r = example("top-anomalous-assets");
        List<Double> expected = twins.values().stream()
                .filter(t -> t.health() != null && t.maintenance() != null && !t.maintenance().isEmpty())
                .map(t -> Math.round((1 - t.health()) * 1000) / 1000.0)
                .sorted(Comparator.reverseOrder()).limit(10).toList();
        assertThat(r.sorted("anomaly_score desc").column("anomaly_score")).extracting(v -> ((Number) v).doubleValue())
                .containsExactlyElementsOf(expected);
        for (Row row : r.rows()) {
            TwinSnapshot t = twins.get((String) row.getField(r.index("assetId")));
            SensorScore top = t.maintenance().values().stream().max(Comparator.comparingDouble(SensorScore::score)).orElseThrow();
            assertThat(t.maintenance().get((String) row.getField(r.index("sensor"))).score()).isEqualTo(top.score());
        }
    }

    @Test
    void assetsPredictedToFailWithinTheHorizon() throws Exception {
        QueryResult r = example("predicted-failures");
        Set<String> expected = twins.values().stream()
                .filter(t -> t.maintenance() != null && t.maintenance().values().stream()
                        .anyMatch(s -> s.rulSeconds() != null && s.rulSeconds() <= 3600))
                .map(TwinSnapshot::assetId).collect(Collectors.toSet());
        assertThat(r.column("assetId")).containsExactlyInAnyOrderElementsOf((Collection) expected);
    }

    @Test
    void anAnalystsOwnQueryAndItsErrors() throws Exception {
        QueryResult r = SqlQuery.run(config, "SELECT assetType, COUNT(*) AS n FROM twins GROUP BY assetType -- per type");
        assertThat(r.rows().stream().mapToLong(row -> ((Number) row.getField(1)).longValue()).sum()).isEqualTo(twins.size());
        assertThatThrownBy(() -> SqlQuery.run(config, "SELECT 1; SELECT 2")).hasMessageContaining("one query");
        assertThatThrownBy(() -> SqlQuery.run(config, "SELECT nope FROM twins")).hasMessageContaining("nope");
    }
}
