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
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The alert lifecycle per asset, from window scores (first input) and twin snapshots (second input):
 * <ul>
 *   <li>ANOMALY: OPENED after {@code raiseWindows} consecutive windows scoring at least
 *       {@code raiseScore}; UPDATED when its severity rises (WARNING to CRITICAL; it never falls back,
 *       so severity cannot flap); RESOLVED after {@code resolveWindows} consecutive windows below
 *       {@code resolveScore}. Scores in between hold the current state: that gap is the hysteresis;</li>
 *   <li>OFFLINE: OPENED when the twin reports OFFLINE, RESOLVED when it is ONLINE again.</li>
 * </ul>
 * One open incident per kind and asset, kept in Flink state, so a restart from a checkpoint never
 * opens the same incident twice; the alert id is derived from asset, kind and start time, so a replay
 * of the same input derives the same id. Snapshots pass through with the asset's health attached
 * ({@link #SNAPSHOTS}).
 */
public class AlertLifecycleFunction extends KeyedCoProcessFunction<String, AnomalyScore, TwinSnapshot, Alert> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TwinSnapshot> SNAPSHOTS =
            new OutputTag<>("snapshots-with-health", TypeInformation.of(TwinSnapshot.class));

    private final AssetModels models;
    private final AlertSettings settings;
    private transient ValueState<AssetAlerts> state;
    private transient Counter opened;
    private transient Counter resolved;

    public AlertLifecycleFunction(AssetModels models, AlertSettings settings) {
        this.models = models;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("alerts", AssetAlerts.class));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("twinstream");
        opened = metrics.counter("alertsOpened");
        resolved = metrics.counter("alertsResolved");
    }

    private AssetAlerts current() throws Exception {
        var s = state.value();
        return s != null ? s : new AssetAlerts();
    }

    @Override
    public void processElement1(AnomalyScore score, Context ctx, Collector<Alert> out) throws Exception {
        var s = current();
        s.assetType = score.assetType();
        s.siteId = score.siteId();
        s.health = 1 - score.score();
        s.maintenance = score.sensors();
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
        String asset = ctx.getCurrentKey();
        if (s.anomalyId == null) {
            if (s.highStreak >= settings.raiseWindows()) {
                s.anomalyId = asset + "/" + AlertKind.ANOMALY + "/" + s.firstHighWindowStart;
                s.anomalyStart = s.firstHighWindowStart;
                s.anomalySeverity = severity(score);
                s.anomalySensor = score.sensor();
                opened.inc();
                out.collect(anomaly(asset, s, AlertState.OPENED, score, null));
            }
        } else {
            Severity severity = severity(score);
            if (severity.compareTo(s.anomalySeverity) > 0) {
                s.anomalySeverity = severity;
                s.anomalySensor = score.sensor();
                out.collect(anomaly(asset, s, AlertState.UPDATED, score, null));
            } else if (s.lowStreak >= settings.resolveWindows()) {
                resolved.inc();
                out.collect(anomaly(asset, s, AlertState.RESOLVED, score, score.windowEnd()));
                s.anomalyId = null;
                s.anomalySeverity = null;
                s.anomalySensor = null;
            }
        }
        state.update(s);
    }

    private Severity severity(AnomalyScore score) {
        return score.score() >= settings.criticalScore() || score.detector() == Detector.RANGE
                ? Severity.CRITICAL : Severity.WARNING;
    }

    private Alert anomaly(String asset, AssetAlerts s, AlertState state, AnomalyScore score,
            Long resolvedAt) {
        String reason = state == AlertState.RESOLVED
                ? "back to normal: asset score " + fmt(score.score()) + " below " + fmt(settings.resolveScore())
                        + " for " + settings.resolveWindows() + " windows"
                : describe(s.assetType, score);
        return new Alert(SchemaVersions.ALERT, s.anomalyId, asset, s.assetType, s.siteId, AlertKind.ANOMALY, state,
                s.anomalySeverity, score.sensor(), score.detector(), score.score(), score.observed(),
                score.expected(), reason, s.anomalyStart, score.windowEnd(), resolvedAt, Map.copyOf(s.currentValues));
    }

    private String describe(String assetType, AnomalyScore score) {
        AssetModel model = models.get(assetType);
        SensorSpec spec = model == null ? null : model.sensor(score.sensor());
        String unit = spec == null ? "" : " " + spec.unit();
        String what = score.sensor() + " = " + fmt(score.observed()) + unit;
        return switch (score.detector()) {
            case RANGE -> what + " is outside its valid range [" + fmt(spec.min()) + ", " + fmt(spec.max()) + "]"
                    + unit + " (score " + fmt(score.score()) + ")";
            case STUCK -> what + " has not changed for far longer than this sensor ever holds a value (stuck sensor)";
            case SHIFT -> what + ", persistently off the " + fmt(score.expected()) + unit
                    + " the asset's other sensors and history predict (drift, score " + fmt(score.score()) + ")";
            default -> what + ", expected " + fmt(score.expected()) + unit
                    + " from the asset's other sensors and history (score " + fmt(score.score()) + ")";
        };
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    @Override
    public void processElement2(TwinSnapshot twin, Context ctx, Collector<Alert> out) throws Exception {
        var s = current();
        s.assetType = twin.assetType();
        s.siteId = twin.siteId();
        Map<String, Double> values = new HashMap<>();
        twin.sensors().forEach((sensor, st) -> values.put(sensor, st.lastValue()));
        s.currentValues = values;
        String asset = ctx.getCurrentKey();
        if (twin.status() == AssetStatus.OFFLINE && s.offlineId == null) {
            s.offlineId = asset + "/" + AlertKind.OFFLINE + "/" + twin.lastSeen();
            s.offlineStart = twin.lastSeen();
            opened.inc();
            out.collect(offline(asset, s, AlertState.OPENED, twin, null,
                    "no reading since " + java.time.Instant.ofEpochMilli(twin.lastSeen()) + " (asset OFFLINE)"));
        } else if (twin.status() == AssetStatus.ONLINE && s.offlineId != null) {
            resolved.inc();
            out.collect(offline(asset, s, AlertState.RESOLVED, twin, twin.lastSeen(), "reporting again"));
            s.offlineId = null;
        }
        state.update(s);
        ctx.output(SNAPSHOTS, twin.withHealth(s.health, s.openAlerts(), s.maintenance));
    }

    private static Alert offline(String asset, AssetAlerts s, AlertState state,
            TwinSnapshot twin, Long resolvedAt, String reason) {
        return new Alert(SchemaVersions.ALERT, s.offlineId, asset, s.assetType, s.siteId, AlertKind.OFFLINE, state,
                Severity.CRITICAL, null, Detector.OFFLINE, 1.0, 0, 0, reason, s.offlineStart, twin.snapshotTime(),
                resolvedAt, Map.copyOf(s.currentValues));
    }
}
