package io.twinstream.jobs.twin;

import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.SensorState;

/** Mutable per-sensor state inside {@link TwinState}, written by {@link AssetStateSerializer}. */
public class SensorStats {
    public double lastValue;
    public long lastTimestamp = Long.MIN_VALUE;
    public long count;
    public double mean;
    /** Sum of squared deviations from the mean (Welford). */
    public double m2;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    public boolean outOfRange;
    public long outOfRangeCount;

    public SensorStats() {}

    /** Adds one accepted reading; the last value only moves forward in event time. */
    public void add(double value, long timestamp, SensorSpec spec) {
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
        boolean inRange = spec == null || spec.inRange(value);
        if (!inRange) {
            outOfRangeCount++;
        }
        if (timestamp >= lastTimestamp) {
            lastValue = value;
            lastTimestamp = timestamp;
            outOfRange = !inRange;
        }
    }

    public SensorState toRecord() {
        return new SensorState(lastValue, lastTimestamp, count, mean, count > 0 ? Math.sqrt(m2 / count) : 0,
                min, max, outOfRange, outOfRangeCount);
    }
}
