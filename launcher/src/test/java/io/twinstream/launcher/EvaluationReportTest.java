package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.FaultLabel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How alerts are matched to the generator's labels, on hand-made cases whose answer is known. */
class EvaluationReportTest {

    static FaultLabel label(String asset, FaultKind kind, long start, long end) {
        return new FaultLabel(asset, "INDUSTRIAL_PUMP", "site-a", "bearing_temp_c", kind, start, end);
    }

    static Alert opened(String asset, Detector detector, long at) {
        return new Alert(1, asset + "/ANOMALY/" + at, asset, "INDUSTRIAL_PUMP", "site-a",
                detector == Detector.OFFLINE ? Alert.AlertKind.OFFLINE : Alert.AlertKind.ANOMALY, Alert.AlertState.OPENED,
                Alert.Severity.WARNING, "bearing_temp_c", detector, 0.9, 1, 0, "r", at, at, null, Map.of(), null);
    }

    @Test
    void anAlertInsideALabelOrItsGraceDetectsItOnceAndOneElsewhereIsFalse() {
        List<FaultLabel> labels = List.of(
                label("p1", FaultKind.SPIKE, 10_000, 20_000),    // detected at 12 s: delay 2 s
                label("p2", FaultKind.STUCK, 10_000, 20_000),    // detected in the grace after its end: delay 14 s
                label("p3", FaultKind.DROPOUT, 10_000, 20_000)); // missed: the alert is on another asset
        List<Alert> events = List.of(
                opened("p1", Detector.RESIDUAL, 12_000),
                opened("p1", Detector.RESIDUAL, 15_000),         // a second alert for the same label: matched, not false
                opened("p2", Detector.STUCK, 24_000),
                opened("p9", Detector.OFFLINE, 11_000),          // no label on p9: false, charged to DROPOUT
                opened("p1", Detector.RANGE, 40_000));           // after the grace: false, charged to SPIKE and others
        EvaluationReport r = EvaluationReport.match(labels, events, 5_000, 100, 0, 0, 5_000);

        assertThat(r.labels()).isEqualTo(3);
        assertThat(r.detected()).isEqualTo(2);
        assertThat(r.alerts()).isEqualTo(5);
        assertThat(r.matchedAlerts()).isEqualTo(3);
        assertThat(r.precision()).isCloseTo(3 / 5.0, within(1e-12));
        assertThat(r.recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.meanDelayMs()).isEqualTo((2_000 + 14_000) / 2.0);
        assertThat(r.perKind().get(FaultKind.SPIKE).detected()).isEqualTo(1);
        assertThat(r.perKind().get(FaultKind.SPIKE).matchedAlerts()).isEqualTo(2);
        assertThat(r.perKind().get(FaultKind.SPIKE).falseAlerts()).isEqualTo(1);
        assertThat(r.perKind().get(FaultKind.DROPOUT).recall()).isZero();
        assertThat(r.perKind().get(FaultKind.DROPOUT).falseAlerts()).isEqualTo(1);
        assertThat(r.perKind().get(FaultKind.STUCK).falseAlerts()).isZero();
        assertThat(r.falseAlerts()).hasSize(2);
        assertThat(r.missedLabels()).singleElement().asString().startsWith("DROPOUT p3 bearing_temp_c 10 s long");
    }

    @Test
    void noAlertsAtAllIsPerfectPrecisionAndZeroRecall() {
        EvaluationReport r = EvaluationReport.match(List.of(label("p1", FaultKind.DRIFT, 0, 1_000)), List.of(), 0, 1,
                0, 0, 5_000);
        assertThat(r.precision()).isEqualTo(1.0);
        assertThat(r.recall()).isZero();
        assertThat(r.f1()).isZero();
    }
}
