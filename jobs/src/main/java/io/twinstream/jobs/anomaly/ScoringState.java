package io.twinstream.jobs.anomaly;

/**
 * What the scorer learns and accumulates for one asset (or one backtest series), as a Flink POJO
 * of primitive arrays indexed by sensor. Sensor i is {@code sensors[i]}. In the pipeline it is part of an asset's
 * keyed value, written by {@code AssetStateSerializer}: a new field goes there too.
 */
public class ScoringState {
    public String assetType;
    public String siteId;
    public String[] sensors;
    public long samples;
    /** An anomaly incident is open: the calibrated condition's reference level is kept as it was before it. */
    public boolean baselineHeld;
    public long lastTimestamp = Long.MIN_VALUE;
    /** Last value of each sensor (carried forward when a reading lacks it). */
    public double[] last;

    // Cross-sensor baseline: exponentially weighted mean and covariance of all sensors.
    public double[] mean;
    public double[] cov;
    /** Exponentially weighted mean absolute residual per sensor: the residual's usual size. */
    public double[] residualScale;
    /** Short-memory mean of each sensor's signed normalised residual: a persistent offset shows here. */
    public double[] shift;
    /** Exponentially weighted variance of each sensor's change between consecutive readings. */
    public double[] changeVar;
    /** Range seen so far, for series without a model range. */
    public double[] seenMin;
    public double[] seenMax;

    // Stuck detection
    public int[] repeatRun;
    public double[] repeatProbability;
    /** Longest run of identical values seen in normal operation. */
    public int[] longestRun;

    /** Per sensor {@link Surprise#STRIDE} numbers: predictors, their error scales, the calibrated tail. */
    public double[] surprise;
    /** Per sensor {@link Seasonality#STRIDE} numbers, or null while the series spans less than half a day. */
    public double[] season;

    // Trend (level against time), for remaining useful life
    public long trendOrigin;
    public double trendTimeMean;
    public double trendTimeVar;
    public double[] trendValueMean;
    public double[] trendCov;
    public double[] trendValueVar;

    // Windows close on the asset's own event-time clock: its newest reading minus the out-of-orderness bound
    public long newest = Long.MIN_VALUE;
    public long lastFiredWindowEnd = Long.MIN_VALUE;

    // Panes of the sliding windows: pane p covers (paneEnd[p] - slide, paneEnd[p]]
    public long[] paneEnd;
    public double[] paneScore;
    public int[] paneDetector;
    public double[] paneObserved;
    public double[] paneExpected;
    public int[] paneSamples;

    public ScoringState() {}
}
