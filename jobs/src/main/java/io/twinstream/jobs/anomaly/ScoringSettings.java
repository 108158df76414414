package io.twinstream.jobs.anomaly;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.io.Serializable;

/**
 * Settings of the anomaly detectors; the same for every asset and series (nothing is tuned per
 * asset or per file: every baseline is learned online).
 *
 * @param windowSizeMs        event-time window size
 * @param windowSlideMs       window slide (the size must be a multiple of it)
 * @param windowLatenessMs    a window closes when the asset's newest reading is this much past its end
 *                            (the watermark's out-of-orderness bound), or when the watermark passes it
 * @param baselineTimeConstantMs memory of the learned baseline (exponential forgetting)
 * @param warmupSamples       readings an asset needs before it is scored
 * @param residualZLow        |residual| / its usual size at which the score starts to rise
 * @param residualZHigh       ... at which it reaches 1
 * @param residualMinFraction |residual| as a fraction of the sensor's range at which the score starts to rise
 * @param residualFullFraction ... at which it reaches 1
 * @param extrapolationAllowance how much the expected residual widens per unit of squared distance of the
 *                            other sensors from their learned mean
 * @param transientAllowance  how much it widens per unit of the other sensors' squared change since the
 *                            previous reading, in units of their usual change
 * @param shiftTimeConstantMs memory of the persistent-offset (drift) detector
 * @param shiftZLow           mean signed residual, in its usual size, where the drift score starts to rise
 * @param shiftZHigh          ... where it reaches 1
 * @param stuckFalseAlarmProbability how unlikely a run of identical values must be, given the sensor's own
 *                            repeat rate, to call it stuck
 * @param stuckMinRun         never call fewer identical readings in a row stuck
 * @param freezeScore         a reading scoring at least this barely moves the baseline (so a fault is not learned)
 * @param surpriseMemory      readings over which each sensor's surprise calibration is averaged ({@link Surprise})
 * @param surpriseWarmup      readings of a sensor before its surprise is scored
 * @param trendTimeConstantMs memory of the trend estimate behind remaining useful life
 * @param rulHorizonMs        remaining useful life is reported only when below this
 * @param rulMinFit           ... and when the linear trend explains at least this share of the variance
 * @param staggerWindows      each asset's windows end at its own phase within the slide (see {@link #windowPhase})
 */
public record ScoringSettings(
        long windowSizeMs,
        long windowSlideMs,
        long windowLatenessMs,
        long baselineTimeConstantMs,
        int warmupSamples,
        double residualZLow,
        double residualZHigh,
        double residualMinFraction,
        double residualFullFraction,
        double extrapolationAllowance,
        double transientAllowance,
        long shiftTimeConstantMs,
        double shiftZLow,
        double shiftZHigh,
        double stuckFalseAlarmProbability,
        int stuckMinRun,
        double freezeScore,
        int surpriseMemory,
        int surpriseWarmup,
        long trendTimeConstantMs,
        long rulHorizonMs,
        double rulMinFit,
        boolean staggerWindows) implements Serializable {

    public ScoringSettings {
        if (windowSlideMs <= 0 || windowSizeMs % windowSlideMs != 0) {
            throw new IllegalArgumentException("anomaly.window-size must be a positive multiple of anomaly.window-slide");
        }
    }

    public int panesPerWindow() {
        return (int) (windowSizeMs / windowSlideMs);
    }

    /** Panes that can be open at once: a window's worth, plus those the lateness bound keeps open. */
    public int openPanes() {
        return panesPerWindow() + (int) Math.ceil((double) windowLatenessMs / windowSlideMs) + 2;
    }

    /**
     * Where in the slide the asset's windows end: 0 without staggering, else a fixed phase taken from a hash of its
     * id. With aligned windows every asset's window closes at the same event time, and a large fleet's scores,
     * alerts and health snapshots all leave in one burst per slide; staggered, they leave evenly.
     */
    public long windowPhase(String assetId) {
        if (!staggerWindows) {
            return 0;
        }
        int h = assetId.hashCode() * 0x9E3779B9; // Fibonacci hashing: neighbouring ids land far apart
        return Math.floorMod(h ^ (h >>> 16), windowSlideMs);
    }

    public static ScoringSettings from(PipelineConfig c) {
        return new ScoringSettings(c.millis(Key.WINDOW_SIZE), c.millis(Key.WINDOW_SLIDE),
                c.millis(Key.MAX_OUT_OF_ORDERNESS),
                c.millis(Key.BASELINE_TIME_CONSTANT), c.integer(Key.WARMUP_SAMPLES),
                c.decimal(Key.RESIDUAL_Z_LOW), c.decimal(Key.RESIDUAL_Z_HIGH),
                c.decimal(Key.RESIDUAL_MIN_FRACTION), c.decimal(Key.RESIDUAL_FULL_FRACTION),
                c.decimal(Key.EXTRAPOLATION_ALLOWANCE), c.decimal(Key.TRANSIENT_ALLOWANCE),
                c.millis(Key.SHIFT_TIME_CONSTANT), c.decimal(Key.SHIFT_Z_LOW), c.decimal(Key.SHIFT_Z_HIGH),
                c.decimal(Key.STUCK_FALSE_ALARM_PROBABILITY), c.integer(Key.STUCK_MIN_RUN),
                c.decimal(Key.FREEZE_SCORE), c.integer(Key.SURPRISE_MEMORY),
                c.integer(Key.SURPRISE_WARMUP), c.millis(Key.TREND_TIME_CONSTANT), c.millis(Key.RUL_HORIZON),
                c.decimal(Key.RUL_MIN_FIT), c.flag(Key.WINDOW_STAGGER));
    }
}
