package io.twinstream.jobs.alert;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.Alert.Severity;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.TwinSnapshot;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The alert lifecycle of one asset, as plain logic over {@link AssetAlerts}, fed the asset's window
 * scores and twin snapshots in event-time order:
 * <ul>
 *   <li>ANOMALY: OPENED after {@code raiseWindows} consecutive windows scoring at least
 *       {@code raiseScore}; UPDATED when its severity rises (WARNING to CRITICAL; it never falls back,
 *       so severity cannot flap); RESOLVED after {@code resolveWindows} consecutive windows below
 *       {@code resolveScore}. Scores in between hold the current state: that gap is the hysteresis;</li>
 *   <li>OFFLINE: OPENED when the twin reports OFFLINE, RESOLVED when it is ONLINE again.</li>
 * </ul>
 * One open incident per kind and asset, kept in Flink state, so a restart from a checkpoint never
 * opens the same incident twice; the alert id is derived from asset, kind and start time, so a replay
 * of the same input derives the same id.
 */
public final class AlertLogic implements Serializable {
    private static final long serialVersionUID = 1L;

    private final AssetModels models;
    private final AlertSettings settings;

    public AlertLogic(AssetModels models, AlertSettings settings) {
        this.models = models;
        this.settings = settings;
    }

    /**
     * Follows one window score; returns true when an incident has just resolved because it lasted past the
     * re-baseline time, so the caller re-learns the asset's baseline ({@code Scoring.follow}) and records in
     * {@link AssetAlerts#rebaselinedThrough} the newest reading already judged against the old one.
     */
    public boolean onScore(String asset, AssetAlerts s, AnomalyScore score, Consumer<Alert> out) {
        s.assetType = score.assetType();
        s.siteId = score.siteId();
        s.health = 1 - score.score();
        s.maintenance = score.sensors();
        if (score.windowStart() <= s.rebaselinedThrough) {
            return false; // judged against the baseline just left behind
        }
        if (score.score() >= settings.raiseScore()) {
            if (s.highStreak == 0) {
                s.firstHighWindowStart = score.windowStart();
            }
            s.highStreak++;
            s.lowStreak = 0;
        } else if (score.score() < settings.resolveScore()) {
            s.lowStreak++;
            s.highStreak = 0;
        } else {
            s.highStreak = 0;
            s.lowStreak = 0;
        }
        if (s.anomalyId == null) {
            if (s.highStreak >= settings.raiseWindows()) {
                s.anomalyId = asset + "/" + AlertKind.ANOMALY + "/" + s.firstHighWindowStart;
                s.anomalyStart = s.firstHighWindowStart;
                s.anomalySeverity = severity(score);
                out.accept(anomaly(asset, s, AlertState.OPENED, score, null));
            }
        } else {
            Severity severity = severity(score);
            // a level that lasts is the new normal; a frozen sensor or a value out of its physical range is not
            if (score.windowEnd() - s.anomalyStart >= settings.rebaselineAfterMs() && !frozenOrOutOfRange(score)) {
                out.accept(anomaly(asset, s, AlertState.RESOLVED, score, score.windowEnd(), "the new normal: away from "
                        + "the old baseline for " + java.time.Duration.ofMillis(settings.rebaselineAfterMs())
                        + ", the baseline is learned again from here"));
                s.anomalyId = null;
                s.anomalySeverity = null;
                s.highStreak = 0;
                return true;
            }
            if (severity.compareTo(s.anomalySeverity) > 0) {
                s.anomalySeverity = severity;
                out.accept(anomaly(asset, s, AlertState.UPDATED, score, null));
            } else if (s.lowStreak >= settings.resolveWindows()) {
                out.accept(anomaly(asset, s, AlertState.RESOLVED, score, score.windowEnd()));
                s.anomalyId = null;
                s.anomalySeverity = null;
            }
        }
        return false;
    }

    private static boolean frozenOrOutOfRange(AnomalyScore score) {
        return score.sensors().values().stream()
                .anyMatch(x -> x != null && (x.detector() == Detector.STUCK || x.detector() == Detector.RANGE));
    }

    /** Tracks the twin (current values, liveness) and returns the snapshot with the asset's health attached. */
    public TwinSnapshot onSnapshot(String asset, AssetAlerts s, TwinSnapshot twin, Consumer<Alert> out) {
        s.assetType = twin.assetType();
        s.siteId = twin.siteId();
        Map<String, Double> values = new HashMap<>();
        twin.sensors().forEach((sensor, st) -> values.put(sensor, st.lastValue()));
        s.currentValues = values;
        if (twin.status() == AssetStatus.OFFLINE && s.offlineId == null) {
            s.offlineId = asset + "/" + AlertKind.OFFLINE + "/" + twin.lastSeen();
            s.offlineStart = twin.lastSeen();
            out.accept(offline(asset, s, AlertState.OPENED, twin, null,
                    "no reading since " + Instant.ofEpochMilli(twin.lastSeen()) + " (asset OFFLINE)"));
        } else if (twin.status() == AssetStatus.ONLINE && s.offlineId != null) {
            out.accept(offline(asset, s, AlertState.RESOLVED, twin, twin.lastSeen(), "reporting again"));
            s.offlineId = null;
        }
        return twin.withHealth(s.health, s.openAlerts(), s.maintenance);
    }

    private Severity severity(AnomalyScore score) {
        return score.score() >= settings.criticalScore() || score.detector() == Detector.RANGE
                ? Severity.CRITICAL : Severity.WARNING;
    }

    private Alert anomaly(String asset, AssetAlerts s, AlertState state, AnomalyScore score, Long resolvedAt) {
        return anomaly(asset, s, state, score, resolvedAt, state == AlertState.RESOLVED
                ? "back to normal: asset score " + fmt(score.score()) + " below " + fmt(settings.resolveScore())
                        + " for " + settings.resolveWindows() + " windows"
                : describe(s.assetType, score));
    }

    private Alert anomaly(String asset, AssetAlerts s, AlertState state, AnomalyScore score, Long resolvedAt,
            String reason) {
        return new Alert(SchemaVersions.ALERT, s.anomalyId, asset, s.assetType, s.siteId, AlertKind.ANOMALY, state,
                s.anomalySeverity, score.sensor(), score.detector(), score.score(), score.observed(),
                score.expected(), reason, s.anomalyStart, score.windowEnd(), resolvedAt, Map.copyOf(s.currentValues), null);
    }

    private String describe(String assetType, AnomalyScore score) {
        AssetModel model = models.get(assetType);
        SensorSpec spec = model == null ? null : model.sensor(score.sensor());
        String unit = spec == null ? "" : " " + spec.unit();
        String what = score.sensor() + " = " + fmt(score.observed()) + unit;
        return switch (score.detector()) {
            case RANGE -> spec != null && spec.hasAlertLimits() && spec.inRange(score.observed())
                    ? what + " is beyond its alert limits [" + fmt(spec.lowLimit()) + ", " + fmt(spec.highLimit()) + "]"
                            + unit + " (score " + fmt(score.score()) + ")"
                    : what + " is outside its valid range [" + (spec == null ? "?" : fmt(spec.min())) + ", "
                            + (spec == null ? "?" : fmt(spec.max())) + "]" + unit + " (score " + fmt(score.score()) + ")";
            case STUCK -> what + " has not changed for far longer than this sensor ever holds a value (stuck sensor)";
            case SHIFT -> what + ", persistently off the " + fmt(score.expected()) + unit
                    + " the asset's other sensors and history predict (drift, score " + fmt(score.score()) + ")";
            default -> what + ", expected " + fmt(score.expected()) + unit
                    + " from the asset's other sensors and history (score " + fmt(score.score()) + ")";
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static Alert offline(String asset, AssetAlerts s, AlertState state, TwinSnapshot twin, Long resolvedAt,
            String reason) {
        return new Alert(SchemaVersions.ALERT, s.offlineId, asset, s.assetType, s.siteId, AlertKind.OFFLINE, state,
                Severity.CRITICAL, null, Detector.OFFLINE, 1.0, 0, 0, reason, s.offlineStart, twin.snapshotTime(),
                resolvedAt, Map.copyOf(s.currentValues), null);
    }
}
