package io.twinstream.jobs.energy;

/**
 * One asset's energy as its twin integrates it ({@link EnergyLogic}): the last sample, and sums of energy produced,
 * consumed and volume pumped over the open bucket (the roll-ups' smallest period), the current and previous hour and
 * day, and in all. Mutable, part of the twin's keyed state.
 */
public final class EnergyMeter {
    public static final int PRODUCED = 0;
    public static final int CONSUMED = 1;
    public static final int VOLUME = 2;
    /** Offsets of the periods in {@link #sums}, three values each (produced, consumed, volume). */
    public static final int BUCKET = 0;
    public static final int HOUR = 3;
    public static final int DAY = 6;
    public static final int PREVIOUS_HOUR = 9;
    public static final int PREVIOUS_DAY = 12;
    public static final int TOTAL = 15;
    public static final int SUMS = 18;

    /** Event time of the first sample: a period the meter began in counts from it (capacity factor). */
    public long since = Long.MIN_VALUE;
    /** Event time of the last sample; Long.MIN_VALUE before the first. */
    public long lastTime = Long.MIN_VALUE;
    /** Power (kW) at the last sample, NaN if it had none. */
    public double lastPower = Double.NaN;
    /** Volume flow (m³/h) at the last sample, NaN if none. */
    public double lastFlow = Double.NaN;
    /** Counter value (kWh) at the last sample, NaN if none. */
    public double lastCounter = Double.NaN;
    /** Starts of the open bucket, hour and day, and of the previous hour and day; Long.MIN_VALUE if none. */
    public long bucketStart = Long.MIN_VALUE;
    public long hourStart = Long.MIN_VALUE;
    public long dayStart = Long.MIN_VALUE;
    public long previousHourStart = Long.MIN_VALUE;
    public long previousDayStart = Long.MIN_VALUE;
    /** Event time the current hour's and day's sums reach to (for their capacity factor). */
    public long coveredTo = Long.MIN_VALUE;
    public double[] sums = new double[SUMS];
}
