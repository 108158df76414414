package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live view shows an open alert by its asset and forgets it once resolved. */
class LiveViewTest {

    static byte[] alert(Alert.AlertState state) throws Exception {
        return Json.MAPPER.writeValueAsBytes(new Alert(1, "pump-7/ANOMALY/1000", "pump-7", "INDUSTRIAL_PUMP", "site-a",
                Alert.AlertKind.ANOMALY, state, Alert.Severity.CRITICAL, "bearing_temp_c", Detector.RESIDUAL, 0.97, 81.4,
                62.3, "bearing_temp_c = 81.40 degC", 1_000, 2_000, state == Alert.AlertState.RESOLVED ? 3_000L : null,
                Map.of("bearing_temp_c", 81.4), null));
    }

    @Test
    void anOpenAlertIsListedUntilItResolves() throws Exception {
        LiveView view = new LiveView();
        view.onAlert(alert(Alert.AlertState.OPENED));
        assertThat(view.alertsOpened()).isEqualTo(1);
        assertThat(view.render("header")).contains("open alerts:", "pump-7", "CRITICAL");
        view.onAlert(alert(Alert.AlertState.RESOLVED));
        assertThat(view.openAlerts()).isEmpty();
        assertThat(view.render("header")).doesNotContain("pump-7");
    }
}
