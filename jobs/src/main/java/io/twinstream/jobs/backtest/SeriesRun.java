package io.twinstream.jobs.backtest;

import io.twinstream.jobs.alert.AlertLogic;
import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.Scoring;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.Telemetry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One series through the pipeline's own scoring and alert lifecycle, in row order, as plain calls: per row its
 * surprise ({@code anomaly_score}) and whether an anomaly incident was open on it. The classes are the ones the
 * pipeline's per-asset operator calls ({@link Scoring}, {@link AlertLogic}); windows close as they do there, on
 * the series' own clock.
 */
public final class SeriesRun {

    /** An incident: open from {@code start} to {@code end} (exclusive; Long.MAX_VALUE while still open at the end). */
    public record Incident(long start, long end, String reason) {}

    /** Per row the score and incident flag; the incidents themselves. */
    public record Result(double[] scores, boolean[] incident, List<Incident> incidents) {}

    private SeriesRun() {}

    public static Result run(String seriesId, CsvTable table, Scoring scoring, AlertLogic alerting) {
        return run(seriesId, table, scoring, alerting, CsvSeries.ASSET_TYPE);
    }

    /** The same, the series scored as an asset of {@code assetType} (with its model's ranges, if it has one). */
    public static Result run(String seriesId, CsvTable table, Scoring scoring, AlertLogic alerting, String assetType) {
        int n = table.rows();
        double[] scores = new double[n];
        AssetAlerts alertState = new AssetAlerts();
        List<Incident> incidents = new ArrayList<>();
        long[] open = {Long.MIN_VALUE};
        String[] reason = {null};
        java.util.function.Consumer<Alert> onAlert = a -> {
            if (a.kind() != Alert.AlertKind.ANOMALY) {
                return;
            }
            if (a.state() == Alert.AlertState.OPENED) {
                open[0] = a.startedAt();
                reason[0] = a.reason();
            } else if (a.state() == Alert.AlertState.RESOLVED && open[0] != Long.MIN_VALUE) {
                incidents.add(new Incident(open[0], a.resolvedAt(), reason[0]));
                open[0] = Long.MIN_VALUE;
            }
        };
        long lateness = scoring.settings().windowLatenessMs();
        ScoringState[] state = {null};
        java.util.function.Consumer<AnomalyScore> onWindow = w -> {
            boolean rebaseline = alerting.onScore(seriesId, alertState, w, onAlert);
            scoring.follow(state[0], alertState, rebaseline);
        };
        for (int r = 0; r < n; r++) {
            Map<String, Double> readings = new HashMap<>();
            for (int c = 0; c < table.sensors().size(); c++) {
                double v = table.values()[r][c];
                if (!Double.isNaN(v)) {
                    readings.put(table.sensors().get(c), v);
                }
            }
            Telemetry t = new Telemetry(SchemaVersions.TELEMETRY, seriesId + ":" + r, seriesId, assetType,
                    "backtest", table.times()[r], r, readings);
            if (state[0] == null) {
                state[0] = scoring.newState(t);
            }
            scores[r] = scoring.score(state[0], t).surprise();
            scoring.closeUpTo(seriesId, state[0], state[0].newest - lateness, onWindow);
        }
        if (state[0] != null) {
            scoring.closeUpTo(seriesId, state[0], Long.MAX_VALUE / 2, onWindow);
        }
        if (open[0] != Long.MIN_VALUE) {
            incidents.add(new Incident(open[0], Long.MAX_VALUE, reason[0]));
        }
        boolean[] flagged = new boolean[n];
        for (Incident i : incidents) {
            for (int r = 0; r < n; r++) {
                long t = table.times()[r];
                flagged[r] |= t >= i.start() && t < i.end();
            }
        }
        return new Result(scores, flagged, incidents);
    }
}
