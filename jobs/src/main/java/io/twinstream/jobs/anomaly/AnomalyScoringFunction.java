package io.twinstream.jobs.anomaly;

import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Telemetry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Anomaly scoring alone, in arrival order, for series that are already in order: the backtest.
 * Every reading is scored online ({@link Scoring}); with {@code emitSampleScores} its own score goes
 * to {@link #SAMPLE_SCORES}. Windows close when the series' newest reading is the out-of-orderness
 * bound past their end, or when the watermark passes them. (The pipeline scores inside the
 * per-asset {@code DigitalTwinFunction}, in event-time order.)
 */
public class AnomalyScoringFunction extends KeyedProcessFunction<String, Telemetry, AnomalyScore> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SampleScore> SAMPLE_SCORES =
            new OutputTag<>("sample-scores", TypeInformation.of(SampleScore.class));

    private final Scoring scoring;
    private final boolean emitSampleScores;

    private transient ValueState<ScoringState> state;
    private transient Counter lateForWindow;

    public AnomalyScoringFunction(AssetModels models, ScoringSettings settings, boolean emitSampleScores) {
        this.scoring = new Scoring(models, settings);
        this.emitSampleScores = emitSampleScores;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("scoring", ScoringState.class));
        lateForWindow = getRuntimeContext().getMetricGroup().addGroup("twinstream").counter("lateForScoringWindow");
    }

    @Override
    public void processElement(Telemetry t, Context ctx, Collector<AnomalyScore> out) throws Exception {
        ScoringState s = state.value();
        if (s == null) {
            s = scoring.newState(t);
        }
        Scoring.Scored scored = scoring.score(s, t);
        if (emitSampleScores) {
            ctx.output(SAMPLE_SCORES, new SampleScore(t.assetId(), t.seq(), t.timestamp(), scored.score()));
        }
        ScoringSettings settings = scoring.settings();
        if (scored.added() == SlidingPanes.Added.TOO_LATE) {
            lateForWindow.inc();
        } else if (scored.added() == SlidingPanes.Added.NEW_PANE) {
            // for a series that stops: the watermark closes its last windows
            ctx.timerService().registerEventTimeTimer(scored.paneEnd() + settings.windowSizeMs() - settings.windowSlideMs());
        }
        scoring.closeUpTo(ctx.getCurrentKey(), s, s.newest - settings.windowLatenessMs(), out::collect);
        state.update(s);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<AnomalyScore> out) throws Exception {
        ScoringState s = state.value();
        if (s != null) {
            scoring.closeUpTo(ctx.getCurrentKey(), s, time, out::collect);
            state.update(s);
        }
    }
}
