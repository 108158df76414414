package io.twinstream.jobs.anomaly;

import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.Telemetry;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Scoring of one asset's readings into sliding-window anomaly scores, as plain logic over
 * {@link ScoringState}: the pipeline's per-asset operator and the backtest's scoring operator both
 * use it. An asset type the model registry does not know (a backtest series) is scored on the
 * sensors its readings carry, without a physical range.
 */
public final class Scoring implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A baseline is held for an incident only once it has seen this many times the warm-up. */
    static final int BASELINE_MATURITY = 3;

    private final AssetModels models;
    private final AssetScorer scorer;

    public Scoring(AssetModels models, ScoringSettings settings) {
        this.models = models;
        this.scorer = new AssetScorer(settings);
    }

    public ScoringSettings settings() {
        return scorer.settings();
    }

    /**
     * What scoring one reading did: its highest sensor score (the condition, which the windows and alerts follow),
     * its calibrated surprise (anomaly_score, {@link Surprise}), and where it went in the windows.
     */
    public record Scored(double score, double surprise, SlidingPanes.Added added, long paneEnd) {}

    /** Scores a reading, learns from it and keeps it in its window pane. */
    public Scored score(ScoringState s, Telemetry t) {
        return score(s, t, models.get(t.assetType()));
    }

    /** {@link #score(ScoringState, Telemetry)} with the model in force the caller looked up already (null: none). */
    public Scored score(ScoringState s, Telemetry t, AssetModel model) {
        s.assetType = model != null ? model.type() : t.assetType(); // the model's own instance, as the twin keeps it
        s.siteId = t.siteId();
        int n = s.sensors.length;
        double[] values = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            Double v = t.readings().get(s.sensors[i]);
            values[i] = v == null ? Double.NaN : v;
            SensorSpec spec = model == null ? null : spec(model, s.sensors, i);
            min[i] = spec == null ? Double.NaN : spec.min();
            max[i] = spec == null ? Double.NaN : spec.max();
        }
        AssetScorer.Scores scores = scorer.score(s, t.timestamp(), values, min, max);
        SensorResult[] results = scores.sensors();
        if (model != null) {
            alertLimits(model, s.sensors, values, results);
        }
        double worst = 0;
        for (SensorResult r : results) {
            if (r != null) {
                worst = Math.max(worst, r.score());
            }
        }
        ScoringSettings settings = scorer.settings();
        long paneEnd = SlidingPanes.paneEnd(t.timestamp(), settings.windowSlideMs(), settings.windowPhase(t.assetId()));
        SlidingPanes.Added added = SlidingPanes.add(s, paneEnd, settings.windowSizeMs(), settings.windowSlideMs(),
                results);
        s.newest = Math.max(s.newest, t.timestamp());
        return new Scored(worst, scores.surprise(), added, paneEnd);
    }

    /** A value beyond a sensor's alert limits (inside its physical range) is a RANGE breach too. */
    private static void alertLimits(AssetModel model, String[] sensors, double[] values, SensorResult[] results) {
        for (int i = 0; i < sensors.length; i++) {
            SensorResult r = results[i];
            if (r == null || r.detector() == Detector.RANGE) {
                continue;
            }
            SensorSpec spec = spec(model, sensors, i);
            if (spec != null && spec.hasAlertLimits() && (values[i] < spec.lowLimit() || values[i] > spec.highLimit())) {
                results[i] = new SensorResult(1.0, Detector.RANGE, values[i], r.expected());
            }
        }
    }

    /** The model's spec of sensor i; a state made from the model lists its sensors in the model's order. */
    private static SensorSpec spec(AssetModel model, String[] sensors, int i) {
        java.util.List<SensorSpec> specs = model.sensors();
        return i < specs.size() && specs.get(i).name().equals(sensors[i]) ? specs.get(i) : model.sensor(sensors[i]);
    }

    /**
     * Keeps the calibrated condition's reference level as it was while an anomaly incident is open (the condition is
     * measured against the normal from before it, so a fault held for minutes stays one open incident and is not
     * learned as normal), and learns it again from the current readings when the incident became the new normal.
     * The cross-sensor baseline is not held: it learns at a tenth of its rate from readings that score high, as
     * before; held through an incident, it raised false alarms after faults on the generator's fleet (seed 7:
     * precision 0.940 against 0.963).
     */
    public void follow(ScoringState s, AssetAlerts alerts, boolean rebaseline) {
        boolean incidentOpen = alerts.anomalyId != null;
        // a young baseline is not held: an incident in its first readings says more about the baseline than the asset
        s.baselineHeld = incidentOpen && s.samples > BASELINE_MATURITY * settings().warmupSamples();
        if (rebaseline) {
            scorer.rebaseline(s);
            alerts.rebaselinedThrough = s.newest;
        }
    }

    /**
     * Makes a state follow the asset's model (null: its sensors are inferred from the readings, and a reading with a
     * sensor not seen before adds it). See {@link SensorRemap} for what carries over.
     */
    public void followModel(ScoringState s, AssetModel model, Telemetry t) {
        if (model != null) {
            if (!SensorRemap.same(s, model.sensorNames())) {
                SensorRemap.remap(s, model.sensorNames());
            }
            return;
        }
        java.util.Set<String> seen = null;
        for (String name : t.readings().keySet()) {
            if (!contains(s.sensors, name)) {
                if (seen == null) {
                    seen = new TreeSet<>(java.util.Arrays.asList(s.sensors));
                }
                seen.add(name);
            }
        }
        if (seen != null) {
            SensorRemap.remap(s, seen.toArray(String[]::new));
        }
    }

    private static boolean contains(String[] names, String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    public ScoringState newState(Telemetry first) {
        AssetModel model = models.get(first.assetType());
        String[] sensors = model != null
                ? model.sensors().stream().map(SensorSpec::name).toArray(String[]::new)
                : new TreeSet<>(first.readings().keySet()).toArray(String[]::new);
        return scorer.newState(sensors);
    }

    /** End of the earliest window holding a reading that has not closed yet, or Long.MAX_VALUE. */
    public long nextWindowEnd(ScoringState s) {
        long size = settings().windowSizeMs();
        long slide = settings().windowSlideMs();
        long next = Long.MAX_VALUE;
        for (long e : s.paneEnd) {
            if (e == Long.MIN_VALUE) {
                continue;
            }
            long first = s.lastFiredWindowEnd == Long.MIN_VALUE ? e : Math.max(e, s.lastFiredWindowEnd + slide);
            if (first <= e + size - slide) {
                next = Math.min(next, first);
            }
        }
        return next;
    }

    /** Closes every window ending at or before {@code limit}, in order, each to {@code out}. */
    public void closeUpTo(String assetId, ScoringState s, long limit, Consumer<AnomalyScore> out) {
        SlidingPanes.closeUpTo(s, limit, settings().windowSizeMs(), settings().windowSlideMs(), settings().windowPhase(assetId),
                (end, w) -> out.accept(toScore(assetId, s, w, end)));
    }

    private AnomalyScore toScore(String assetId, ScoringState s, SlidingPanes.WindowResult w, long windowEnd) {
        AssetModel model = models.get(s.assetType);
        Map<String, SensorScore> sensors = new TreeMap<>(); // sorted already: the JSON writer orders map keys
        int top = -1;
        for (int j = 0; j < s.sensors.length; j++) {
            if (w.samples[j] == 0) {
                continue;
            }
            SensorSpec spec = model == null ? null : spec(model, s.sensors, j);
            Double rul = scorer.remainingUsefulLifeSeconds(s, j, spec == null ? Double.NaN : spec.min(),
                    spec == null ? Double.NaN : spec.max());
            sensors.put(s.sensors[j], new SensorScore(w.score[j], w.detector[j], w.observed[j], w.expected[j],
                    w.samples[j], scorer.trendPerHour(s, j), rul));
            if (top < 0 || w.score[j] > w.score[top]) {
                top = j;
            }
        }
        return new AnomalyScore(SchemaVersions.SCORE, assetId, s.assetType, s.siteId,
                windowEnd - settings().windowSizeMs(), windowEnd, w.score[top], s.sensors[top],
                w.score[top] > 0 ? w.detector[top] : Detector.NONE, w.observed[top], w.expected[top], sensors);
    }
}
