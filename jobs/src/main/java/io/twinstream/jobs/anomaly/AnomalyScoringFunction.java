package io.twinstream.jobs.anomaly;

import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.Telemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Windowed anomaly scores per asset and sensor: every accepted reading is scored online by the
 * {@link AssetScorer} and kept in the panes of event-time sliding windows. A window closes when the
 * asset's own newest reading is the out-of-orderness bound past its end (or, for an asset that fell
 * silent, when the watermark passes it), so replays that read partitions unevenly score exactly
 * like the live run; then the window's score per sensor (its highest reading score, explained) and
 * the asset's score (its strongest sensor's) go out, with each sensor's trend and remaining useful
 * life. With {@code emitSampleScores} every reading's own score also goes to {@link #SAMPLE_SCORES}.
 *
 * <p>An asset type the model registry does not know (a backtest series) is scored on the sensors
 * its readings carry, without a physical range.
 */
public class AnomalyScoringFunction extends KeyedProcessFunction<String, Telemetry, AnomalyScore> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SampleScore> SAMPLE_SCORES =
            new OutputTag<>("sample-scores", TypeInformation.of(SampleScore.class));

    private final AssetModels models;
    private final AssetScorer scorer;
    private final boolean emitSampleScores;

    private transient ValueState<ScoringState> state;
    private transient Counter lateForWindow;

    public AnomalyScoringFunction(AssetModels models, ScoringSettings settings, boolean emitSampleScores) {
        this.models = models;
        this.scorer = new AssetScorer(settings);
        this.emitSampleScores = emitSampleScores;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("scoring", ScoringState.class));
        lateForWindow = getRuntimeContext().getMetricGroup().addGroup("twinstream").counter("lateForScoringWindow");
    }

    @Override
    public void processElement(Telemetry t, Context ctx, Collector<AnomalyScore> out) throws Exception {
        AssetModel model = models.get(t.assetType());
        ScoringState s = state.value();
        if (s == null) {
            s = scorer.newState(sensorsOf(model, t));
        }
        s.assetType = t.assetType();
        s.siteId = t.siteId();
        int n = s.sensors.length;
        double[] values = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            Double v = t.readings().get(s.sensors[i]);
            values[i] = v == null ? Double.NaN : v;
            SensorSpec spec = model == null ? null : model.sensor(s.sensors[i]);
            min[i] = spec == null ? Double.NaN : spec.min();
            max[i] = spec == null ? Double.NaN : spec.max();
        }
        SensorResult[] results = scorer.score(s, t.timestamp(), values, min, max);
        if (emitSampleScores) {
            double worst = 0;
            for (SensorResult r : results) {
                if (r != null) {
                    worst = Math.max(worst, r.score());
                }
            }
            ctx.output(SAMPLE_SCORES, new SampleScore(t.assetId(), t.seq(), t.timestamp(), worst));
        }
        ScoringSettings settings = scorer.settings();
        long size = settings.windowSizeMs();
        long slide = settings.windowSlideMs();
        long paneEnd = SlidingPanes.paneEnd(t.timestamp(), slide);
        SlidingPanes.Added added = SlidingPanes.add(s, paneEnd, size, slide, results);
        if (added == SlidingPanes.Added.TOO_LATE) {
            lateForWindow.inc();
        } else if (added == SlidingPanes.Added.NEW_PANE) {
            // fallback for an asset that falls silent: the watermark closes its last windows
            ctx.timerService().registerEventTimeTimer(paneEnd + size - slide);
        }
        s.newest = Math.max(s.newest, t.timestamp());
        String assetId = ctx.getCurrentKey();
        ScoringState st = s;
        SlidingPanes.closeUpTo(s, s.newest - settings.windowLatenessMs(), size, slide,
                (end, w) -> out.collect(toScore(assetId, st, w, end)));
        state.update(s);
    }

    private static String[] sensorsOf(AssetModel model, Telemetry t) {
        if (model != null) {
            return model.sensors().stream().map(SensorSpec::name).toArray(String[]::new);
        }
        return new TreeSet<>(t.readings().keySet()).toArray(String[]::new);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<AnomalyScore> out) throws Exception {
        ScoringState s = state.value();
        if (s == null) {
            return;
        }
        ScoringSettings settings = scorer.settings();
        String assetId = ctx.getCurrentKey();
        SlidingPanes.closeUpTo(s, time, settings.windowSizeMs(), settings.windowSlideMs(),
                (end, w) -> out.collect(toScore(assetId, s, w, end)));
        state.update(s);
    }

    private AnomalyScore toScore(String assetId, ScoringState s, SlidingPanes.WindowResult w, long windowEnd) {
        AssetModel model = models.get(s.assetType);
        Map<String, SensorScore> sensors = new LinkedHashMap<>();
        int top = -1;
        for (int j = 0; j < s.sensors.length; j++) {
            if (w.samples[j] == 0) {
                continue;
            }
            SensorSpec spec = model == null ? null : model.sensor(s.sensors[j]);
            Double rul = scorer.remainingUsefulLifeSeconds(s, j, spec == null ? Double.NaN : spec.min(),
                    spec == null ? Double.NaN : spec.max());
            sensors.put(s.sensors[j], new SensorScore(w.score[j], w.detector[j], w.observed[j], w.expected[j],
                    w.samples[j], scorer.trendPerHour(s, j), rul));
            if (top < 0 || w.score[j] > w.score[top]) {
                top = j;
            }
        }
        return new AnomalyScore(SchemaVersions.SCORE, assetId, s.assetType, s.siteId,
                windowEnd - scorer.settings().windowSizeMs(), windowEnd, w.score[top], s.sensors[top],
                w.score[top] > 0 ? w.detector[top] : Detector.NONE, w.observed[top], w.expected[top], sensors);
    }
}
