package io.twinstream.jobs.twin;

import static io.twinstream.jobs.twin.DigitalTwinFunctionTest.PUMP;
import static io.twinstream.jobs.twin.DigitalTwinFunctionTest.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Races ThingsBoard's users report as duplicate alarms (#5652, #15583): two readings milliseconds apart that both cross
 * the raise threshold. Here an asset's readings, scores and alerts are computed in one keyed value in event-time order,
 * so they end in one incident, whichever of the two arrives first and whether they are applied at once or held for
 * reordering.
 */
class AlertRacesTest {

    /** Two minutes of normal pump readings, two out-of-range ones 2 ms apart, then normal ones again. */
    static List<Ingested> readings(boolean swapped) {
        List<Ingested> in = new ArrayList<>();
        long seq = 0;
        for (long t = 1_000; t <= 120_000; t += 1_000) {
            in.add(reading(PUMP, ++seq, t, 100 + (seq % 7)));
        }
        Ingested first = reading(PUMP, ++seq, 120_500, 390);
        Ingested second = reading(PUMP, ++seq, 120_502, 395);
        in.add(swapped ? second : first);
        in.add(swapped ? first : second);
        for (long t = 121_000; t <= 240_000; t += 1_000) {
            in.add(reading(PUMP, ++seq, t, 100 + (seq % 7)));
        }
        return in;
    }

    static List<Alert> alertsOf(List<Ingested> input, long orderingBound) throws Exception {
        try (TwinHarness h = DigitalTwinFunctionTest.newHarness(orderingBound)) {
            h.open();
            for (Ingested in : input) {
                h.processElement(in, in.telemetry().timestamp());
            }
            h.processWatermark(Long.MAX_VALUE);
            return DigitalTwinFunctionTest.side(h, DigitalTwinFunction.ALERTS);
        }
    }

    @Test
    void twoReadingsMillisecondsApartThatBothCrossTheRaiseThresholdOpenOneIncident() throws Exception {
        List<Alert> alerts = alertsOf(readings(false), 0);
        List<Alert> anomaly = alerts.stream().filter(a -> a.kind() == AlertKind.ANOMALY).toList();
        assertThat(anomaly).filteredOn(a -> a.state() == AlertState.OPENED).hasSize(1);
        assertThat(anomaly).extracting(Alert::alertId).containsOnly(anomaly.get(0).alertId());
        assertThat(anomaly).filteredOn(a -> a.state() == AlertState.RESOLVED).hasSize(1);
        assertThat(anomaly.get(anomaly.size() - 1).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void twoReadingsMillisecondsApartArrivingInEitherOrderEndInTheSameIncident() throws Exception {
        // held for reordering (bound 5 s): the swapped pair is put back in event-time order before it is applied
        assertThat(alertsOf(readings(true), 5_000)).isEqualTo(alertsOf(readings(false), 5_000));
        assertThat(alertsOf(readings(false), 5_000)).filteredOn(a -> a.state() == AlertState.OPENED).hasSize(1);
    }
}
