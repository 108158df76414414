package io.twinstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.Alert.Severity;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.SensorState;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.TwinSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert state machine. Raise after 2 windows >= 0.5, resolve after 3 windows < 0.2, critical at 0.9. */
class AlertLogicTest {
    static final AlertSettings SETTINGS = new AlertSettings(0.5, 2, 0.2, 3, 0.9, 7_200_000L);
    static final String PUMP = "pump-1";

    final AlertLogic logic = new AlertLogic(AssetModels.builtIn(), SETTINGS);
    AssetAlerts state = new AssetAlerts();
    final List<Alert> out = new ArrayList<>();
    TwinSnapshot lastSnapshot;
    long window = 100_000;

    void score(double score, Detector detector) {
        window += 5_000;
        AnomalyScore s = new AnomalyScore(1, PUMP, AssetModels.INDUSTRIAL_PUMP, "site-a", window - 10_000, window,
                score, "vibration_mm_s", detector, 9.0, 2.0,
                Map.of("vibration_mm_s", new SensorScore(score, detector, 9.0, 2.0, 10, 0.1, null)));
        logic.onScore(PUMP, state, s, out::add);
    }

    void score(double score) {
        score(score, score > 0 ? Detector.RESIDUAL : Detector.NONE);
    }

    void twin(AssetStatus status, long lastSeen) {
        TwinSnapshot t = new TwinSnapshot(1, PUMP, AssetModels.INDUSTRIAL_PUMP, "site-a", status, 0L, lastSeen, 1, 1, 0, 0,
                Map.of("vibration_mm_s", new SensorState(2.5, lastSeen, 1, 2.5, 0, 2.5, 2.5, false, 0)),
                lastSeen + 20_000, SnapshotReason.STATUS, null, null, null, 1, null, null);
        lastSnapshot = logic.onSnapshot(PUMP, state, t, out::add);
    }

    List<Alert> alerts() {
        return out;
    }

    List<AlertState> states() {
        return alerts().stream().map(Alert::state).toList();
    }

    @Test
    void raisesAfterConsecutiveHighWindowsOnlyOnceAndResolvesAfterConsecutiveLowOnes() throws Exception {
        score(0.7);
        assertThat(alerts()).isEmpty();
        score(0.1);
        score(0.7);
        assertThat(alerts()).as("one high window is not enough").isEmpty();
        score(0.8);
        assertThat(states()).containsExactly(AlertState.OPENED);
        Alert opened = alerts().get(0);
        assertThat(opened.severity()).isEqualTo(Severity.WARNING);
        assertThat(opened.alertId()).isEqualTo(PUMP + "/ANOMALY/" + opened.startedAt());
        assertThat(opened.startedAt()).isEqualTo(window - 5_000 - 10_000);
        assertThat(opened.reason()).contains("vibration_mm_s = 9.00 mm/s", "expected 2.00 mm/s");

        for (int i = 0; i < 5; i++) {
            score(0.8);
        }
        // between the thresholds: holds, never resolves
        for (int i = 0; i < 10; i++) {
            score(0.3);
        }
        score(0.1);
        score(0.1);
        score(0.3);
        score(0.1);
        score(0.1);
        assertThat(states()).as("no flapping, no duplicate opens").containsExactly(AlertState.OPENED);
        score(0.1);
        assertThat(states()).containsExactly(AlertState.OPENED, AlertState.RESOLVED);
        Alert resolved = alerts().get(1);
        assertThat(resolved.alertId()).isEqualTo(opened.alertId());
        assertThat(resolved.resolvedAt()).isEqualTo(window);
    }

    @Test
    void severityRisesOnceAndNeverFallsBack() throws Exception {
        score(0.6);
        score(0.6);
        score(0.95);
        score(0.6);
        score(0.95);
        assertThat(alerts()).extracting(Alert::state, Alert::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertState.OPENED, Severity.WARNING),
                org.assertj.core.groups.Tuple.tuple(AlertState.UPDATED, Severity.CRITICAL));
    }

    @Test
    void rangeViolationIsCritical() throws Exception {
        score(0.6, Detector.RANGE);
        score(0.6, Detector.RANGE);
        assertThat(alerts().get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alerts().get(0).reason()).contains("outside its valid range");
    }

    @Test
    void offlineTwinsRaiseTheirOwnAlertAndCarryCurrentValues() throws Exception {
        twin(AssetStatus.ONLINE, 10_000);
        twin(AssetStatus.OFFLINE, 10_000);
        twin(AssetStatus.OFFLINE, 10_000);
        twin(AssetStatus.ONLINE, 90_000);
        assertThat(alerts()).extracting(Alert::kind, Alert::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertKind.OFFLINE, AlertState.OPENED),
                org.assertj.core.groups.Tuple.tuple(AlertKind.OFFLINE, AlertState.RESOLVED));
        assertThat(alerts().get(0).alertId()).isEqualTo(PUMP + "/OFFLINE/10000");
        assertThat(alerts().get(0).currentValues()).containsEntry("vibration_mm_s", 2.5);
        assertThat(alerts().get(1).resolvedAt()).isEqualTo(90_000);
    }

    @Test
    void snapshotsPassThroughWithHealthAndOpenAlerts() throws Exception {
        score(0.6);
        score(0.6);
        twin(AssetStatus.ONLINE, 10_000);
        assertThat(lastSnapshot.health()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lastSnapshot.openAlerts()).isEqualTo(1);
        assertThat(lastSnapshot.maintenance()).containsKey("vibration_mm_s");
    }

    @Test
    void stateCopiedThroughFlinksSerializerNeitherReopensNorForgetsTheIncident() throws Exception {
        score(0.7);
        score(0.7);
        assertThat(states()).containsExactly(AlertState.OPENED);
        String id = alerts().get(0).alertId();
        var config = new org.apache.flink.api.common.serialization.SerializerConfigImpl();
        config.setGenericTypes(false);
        var serializer = org.apache.flink.api.common.typeinfo.TypeInformation.of(AssetAlerts.class).createSerializer(config);
        var bytes = new org.apache.flink.core.memory.DataOutputSerializer(256);
        serializer.serialize(state, bytes);
        state = serializer.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(bytes.getCopyOfBuffer()));
        out.clear();
        score(0.7);
        score(0.7);
        score(0.1);
        score(0.1);
        score(0.1);
        assertThat(states()).as("after the round trip").containsExactly(AlertState.RESOLVED);
        assertThat(alerts().get(0).alertId()).isEqualTo(id);
    }
}
