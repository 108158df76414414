package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.generator.GeneratedRecord;
import io.twinstream.jobs.alert.AlertLogic;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.Scoring;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.Telemetry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An oracle for the pipeline's scores and anomaly alerts that does not run through Flink: the scorer and the alert
 * lifecycle ({@link Scoring}, {@link AlertLogic}) called directly on each asset's readings, in event-time order, with
 * windows closed by the rule the twin operator's agenda follows (a window ending before a reading closes before it, one
 * ending at the reading's time right after it; the rest at the end of the input). What it checks is the wiring around
 * that logic: keyed state and its serializer, the keyed edge's serializer, the agenda and its wake-ups, the window
 * panes kept in state, the sinks. The fleet has sensor faults but no dropouts (an OFFLINE asset's anomalies follow its
 * twin's liveness, which this oracle does not model) and no transport faults. OFFLINE alerts have an oracle of their
 * own, from the silences in the readings.
 */
class ScoreAndAlertOracleTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void thePipelinesScoresAndAnomalyAlertsEqualTheScorerRunDirectlyOnTheSameReadings() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            EnumSet<FaultKind> kinds = EnumSet.allOf(FaultKind.class);
            kinds.remove(FaultKind.DROPOUT);
            List<GeneratedRecord> records = fixture.produce(PipelineFixture.fleet(23, 8, 40).faultKinds(kinds)
                    .allTransportFaults(0).build(), "oracle.in");
            PipelineConfig c = fixture.run("oracle", "oracle.in").with(Key.MAX_OUT_OF_ORDERNESS, "0 s");
            FaultToleranceTest.runToEnd(c, new KafkaPipelineIo(c));
            PipelineFixture.Outputs out = fixture.read(c);

            Map<String, List<Telemetry>> byAsset = records.stream().filter(GeneratedRecord::acceptedByTwin)
                    .map(GeneratedRecord::reading)
                    .collect(Collectors.groupingBy(Telemetry::assetId, TreeMap::new, Collectors.toList()));
            Map<String, List<String>> scores = new TreeMap<>();
            Map<String, List<String>> alerts = new TreeMap<>();
            int anomalyEvents = 0;
            for (var e : byAsset.entrySet()) {
                Oracle o = new Oracle(c, e.getKey());
                e.getValue().stream().sorted(Comparator.comparingLong(Telemetry::timestamp)
                        .thenComparingLong(Telemetry::seq)).forEach(o::reading);
                o.end();
                scores.put(e.getKey(), o.scores);
                for (String a : o.alerts) {
                    alerts.computeIfAbsent(alertId(a), k -> new ArrayList<>()).add(projected(a));
                    anomalyEvents++;
                }
            }
            assertThat(anomalyEvents).as("the fleet's faults raise anomaly incidents").isGreaterThan(2);
            assertThat(out.scores()).as("scores per asset, in order").isEqualTo(scores);
            Map<String, List<String>> pipelineAnomalies = new TreeMap<>();
            out.alerts().forEach((id, events) -> {
                List<String> anomaly = events.stream().filter(a -> a.contains("\"kind\":\"ANOMALY\""))
                        .map(ScoreAndAlertOracleTest::projected).toList();
                if (!anomaly.isEmpty()) {
                    pipelineAnomalies.put(id, anomaly);
                }
            });
            assertThat(pipelineAnomalies).as("anomaly alert events per incident, in order").isEqualTo(alerts);
        }
    }

    /**
     * An oracle for OFFLINE alerts from the readings alone, by the documented rule: an asset whose next reading comes
     * more than {@code twin.offline-after-intervals} sampling intervals after its last one is OFFLINE from then (an
     * incident that starts at its last reading, opened at last + intervals x interval) until that next reading (resolved
     * at it). A fleet whose only faults are dropouts (one to three minutes), no transport faults.
     */
    @Test
    void thePipelinesOfflineAlertsAreTheSilencesLongerThanTheOfflineBoundInTheReadings() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            List<GeneratedRecord> records = fixture.produce(PipelineFixture.fleet(29, 8, 40)
                    .faultKinds(EnumSet.of(FaultKind.DROPOUT)).allTransportFaults(0).build(), "offline.in");
            PipelineConfig c = fixture.run("offline", "offline.in").with(Key.MAX_OUT_OF_ORDERNESS, "0 s");
            FaultToleranceTest.runToEnd(c, new KafkaPipelineIo(c));
            PipelineFixture.Outputs out = fixture.read(c);

            long intervals = c.integer(Key.OFFLINE_AFTER_INTERVALS);
            Map<String, List<String>> expected = new TreeMap<>();
            Map<String, List<Telemetry>> byAsset = records.stream().filter(GeneratedRecord::acceptedByTwin)
                    .map(GeneratedRecord::reading)
                    .collect(Collectors.groupingBy(Telemetry::assetId, TreeMap::new, Collectors.toList()));
            for (var e : byAsset.entrySet()) {
                long interval = AssetModels.builtIn().get(e.getValue().get(0).assetType()).samplingIntervalMs();
                List<Long> times = e.getValue().stream().map(Telemetry::timestamp).sorted().toList();
                for (int i = 1; i < times.size(); i++) {
                    long last = times.get(i - 1);
                    long next = times.get(i);
                    if (next > last + intervals * interval) {
                        expected.put(e.getKey() + "/OFFLINE/" + last, List.of(
                                "OPENED " + last + " " + (last + intervals * interval) + " null",
                                "RESOLVED " + last + " " + next + " " + next));
                    }
                }
            }
            assertThat(expected).as("the dropouts silence assets for longer than the bound").hasSizeGreaterThan(2);
            Map<String, List<String>> actual = new TreeMap<>();
            out.alerts().forEach((id, events) -> events.stream().map(json -> {
                try {
                    return Json.MAPPER.readValue(json, Alert.class);
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }).filter(a -> a.kind() == Alert.AlertKind.OFFLINE).forEach(a -> actual.computeIfAbsent(id,
                    k -> new ArrayList<>()).add(a.state() + " " + a.startedAt() + " " + a.updatedAt() + " "
                            + a.resolvedAt())));
            assertThat(actual).as("OFFLINE alert events per incident: state, start, event time, resolution")
                    .isEqualTo(expected);
        }
    }

    /**
     * An alert event without what comes from the twin's snapshots (current values; type and site are the reading's
     * here too): the oracle runs the scorer and the alert lifecycle, not the twin.
     */
    static String projected(String json) {
        try {
            Alert a = Json.MAPPER.readValue(json, Alert.class);
            return Json.MAPPER.writeValueAsString(new Alert(a.schemaVersion(), a.alertId(), a.assetId(), a.assetType(),
                    a.siteId(), a.kind(), a.state(), a.severity(), a.sensor(), a.detector(), a.score(), a.observed(),
                    a.expected(), a.reason(), a.startedAt(), a.updatedAt(), a.resolvedAt(), null, a.registry()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String alertId(String json) {
        try {
            return Json.MAPPER.readValue(json, Alert.class).alertId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One asset's readings through the scorer and the alert lifecycle, as plain calls. */
    static final class Oracle {
        final String asset;
        final Scoring scoring;
        final AlertLogic alerting;
        final AssetAlerts alertState = new AssetAlerts();
        final List<String> scores = new ArrayList<>();
        final List<String> alerts = new ArrayList<>();
        ScoringState state;

        Oracle(PipelineConfig c, String asset) {
            this.asset = asset;
            this.scoring = new Scoring(AssetModels.builtIn(), ScoringSettings.from(c));
            this.alerting = new AlertLogic(AssetModels.builtIn(), AlertSettings.from(c));
        }

        void reading(Telemetry t) {
            if (state == null) {
                state = scoring.newState(t);
                // what the twin's first snapshot tells the alert lifecycle before any window closes
                alertState.assetType = t.assetType();
                alertState.siteId = t.siteId();
            }
            alertState.currentValues = t.readings();
            close(t.timestamp() - 1);
            scoring.score(state, t);
            close(t.timestamp());
        }

        void end() {
            if (state != null) {
                close(Long.MAX_VALUE / 2);
            }
        }

        private void close(long limit) {
            scoring.closeUpTo(asset, state, limit, this::window);
        }

        private void window(AnomalyScore w) {
            scores.add(json(w));
            boolean rebaseline = alerting.onScore(asset, alertState, w, a -> {
                if (a.kind() == Alert.AlertKind.ANOMALY) {
                    alerts.add(json(a));
                }
            });
            scoring.follow(state, alertState, rebaseline);
        }

        private static String json(Object o) {
            try {
                return Json.MAPPER.writeValueAsString(o);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
