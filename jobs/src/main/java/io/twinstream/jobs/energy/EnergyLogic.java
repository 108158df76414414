package io.twinstream.jobs.energy;

import io.twinstream.schemas.EnergySpec;
import io.twinstream.schemas.EnergyView;
import java.io.Serializable;
import java.util.Map;

/**
 * Integrates an asset's energy from its readings, in event-time order: trapezoids of power between two readings (or
 * the rise of an energy counter, where a drop is a reset and the new value counts from zero), never across a gap
 * longer than the model's {@code maxGapIntervals}; split at period boundaries by linear interpolation, and at zero
 * power into produced and consumed. Volume flow is integrated the same way. A bucket (the roll-ups' smallest period)
 * closes, and is handed to {@link Buckets}, at the first reading or wake-up at or after its end.
 */
public final class EnergyLogic implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double MS_PER_HOUR = 3_600_000.0;
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 86_400_000L;

    /** The periods a sample's energy adds to (the total too). */
    private static final int[] OPEN_PERIODS = {EnergyMeter.BUCKET, EnergyMeter.HOUR, EnergyMeter.DAY};

    private final long bucketMs;

    /** @param bucketMs the roll-ups' smallest period; must divide an hour */
    public EnergyLogic(long bucketMs) {
        if (bucketMs <= 0 || HOUR_MS % bucketMs != 0) {
            throw new IllegalArgumentException("the smallest roll-up period must divide an hour, got " + bucketMs + " ms");
        }
        this.bucketMs = bucketMs;
    }

    /** Receives the energy of a closed bucket. */
    public interface Buckets {
        void closed(long bucketStart, long closedAt, double producedKwh, double consumedKwh, double volumeM3);
    }

    /** A reading at {@code time}: integrates from the previous sample, closing buckets it passes. */
    public void onReading(EnergyMeter m, EnergySpec spec, long samplingIntervalMs, long time, Map<String, Double> readings,
            Buckets out) {
        if (time <= m.lastTime) {
            return; // applied behind the asset's clock (more disordered than the bound): energy runs forward only
        }
        if (m.since == Long.MIN_VALUE) {
            m.since = time;
        }
        double power = spec.counter() == null ? spec.powerKw(readings) : Double.NaN;
        Double flowValue = spec.volumeFlow() == null ? null : readings.get(spec.volumeFlow());
        double flow = flowValue == null ? Double.NaN : flowValue;
        Double counterValue = spec.counter() == null ? null : readings.get(spec.counter());
        double counter = counterValue == null ? Double.NaN : counterValue;
        long gap = time - m.lastTime;
        boolean bridged = m.lastTime != Long.MIN_VALUE && gap <= spec.maxGapIntervals() * samplingIntervalMs;
        if (bridged && spec.counter() != null && !Double.isNaN(counter) && !Double.isNaN(m.lastCounter)) {
            double delta = counter >= m.lastCounter ? counter - m.lastCounter : counter; // a drop: reset to zero
            double meanKw = delta / (gap / MS_PER_HOUR);
            integrate(m, spec, m.lastTime, time, meanKw, meanKw, m.lastFlow, flow, time, out);
        } else if (bridged && spec.counter() == null && !Double.isNaN(power) && !Double.isNaN(m.lastPower)) {
            integrate(m, spec, m.lastTime, time, m.lastPower, power, m.lastFlow, flow, time, out);
        } else {
            roll(m, time, time, out);
        }
        m.lastTime = time;
        m.lastPower = power;
        m.lastFlow = flow;
        m.lastCounter = counter;
        m.coveredTo = Math.max(m.coveredTo, time);
    }

    /** A wake-up (the asset fell silent) or the end of the input at {@code time}: closes the buckets that ended. */
    public void onSilence(EnergyMeter m, long time, Buckets out) {
        if (m.bucketStart != Long.MIN_VALUE && time >= m.bucketStart + bucketMs) {
            roll(m, time, time, out);
        }
    }

    /** The end of a bounded input: the open bucket closes as it is. */
    public void finish(EnergyMeter m, long time, Buckets out) {
        if (m.bucketStart != Long.MIN_VALUE) {
            close(m, time, out);
            m.bucketStart = Long.MIN_VALUE;
        }
    }

    private void integrate(EnergyMeter m, EnergySpec spec, long from, long to, double p0, double p1, double f0,
            double f1, long now, Buckets out) {
        long a = from;
        while (a < to) {
            roll(m, a, now, out);
            long b = Math.min(to, m.bucketStart + bucketMs);
            double pa = lerp(from, to, p0, p1, a);
            double pb = lerp(from, to, p0, p1, b);
            double hours = (b - a) / MS_PER_HOUR;
            double positive;
            double negative;
            if (pa >= 0 && pb >= 0 || pa <= 0 && pb <= 0) {
                double area = (pa + pb) / 2 * hours;
                positive = Math.max(area, 0);
                negative = Math.max(-area, 0);
            } else {
                double share = Math.abs(pa) / (Math.abs(pa) + Math.abs(pb)); // where power crosses zero
                double first = pa / 2 * hours * share;
                double second = pb / 2 * hours * (1 - share);
                positive = Math.max(first, 0) + Math.max(second, 0);
                negative = Math.max(-first, 0) + Math.max(-second, 0);
            }
            boolean producer = spec.direction() != EnergySpec.Direction.CONSUMER;
            add(m, producer ? positive : negative, producer ? negative : positive,
                    Double.isNaN(f0) || Double.isNaN(f1) ? 0 : (lerp(from, to, f0, f1, a) + lerp(from, to, f0, f1, b)) / 2 * hours);
            a = b;
        }
    }

    private static double lerp(long from, long to, double v0, double v1, long t) {
        return v0 + (v1 - v0) * (t - from) / (double) (to - from);
    }

    private static void add(EnergyMeter m, double produced, double consumed, double volume) {
        for (int period : OPEN_PERIODS) {
            m.sums[period + EnergyMeter.PRODUCED] += produced;
            m.sums[period + EnergyMeter.CONSUMED] += consumed;
            m.sums[period + EnergyMeter.VOLUME] += volume;
        }
        m.sums[EnergyMeter.TOTAL + EnergyMeter.PRODUCED] += produced;
        m.sums[EnergyMeter.TOTAL + EnergyMeter.CONSUMED] += consumed;
        m.sums[EnergyMeter.TOTAL + EnergyMeter.VOLUME] += volume;
    }

    /** Moves the open bucket, hour and day on to the ones holding {@code time}, closing the bucket it leaves. */
    private void roll(EnergyMeter m, long time, long now, Buckets out) {
        if (m.bucketStart == Long.MIN_VALUE || time >= m.bucketStart + bucketMs) {
            if (m.bucketStart != Long.MIN_VALUE) {
                close(m, now, out);
            }
            m.bucketStart = Math.floorDiv(time, bucketMs) * bucketMs;
        }
        if (m.hourStart == Long.MIN_VALUE || time >= m.hourStart + HOUR_MS) {
            if (m.hourStart != Long.MIN_VALUE) {
                System.arraycopy(m.sums, EnergyMeter.HOUR, m.sums, EnergyMeter.PREVIOUS_HOUR, 3);
                m.previousHourStart = m.hourStart;
            }
            java.util.Arrays.fill(m.sums, EnergyMeter.HOUR, EnergyMeter.HOUR + 3, 0);
            m.hourStart = Math.floorDiv(time, HOUR_MS) * HOUR_MS;
        }
        if (m.dayStart == Long.MIN_VALUE || time >= m.dayStart + DAY_MS) {
            if (m.dayStart != Long.MIN_VALUE) {
                System.arraycopy(m.sums, EnergyMeter.DAY, m.sums, EnergyMeter.PREVIOUS_DAY, 3);
                m.previousDayStart = m.dayStart;
            }
            java.util.Arrays.fill(m.sums, EnergyMeter.DAY, EnergyMeter.DAY + 3, 0);
            m.dayStart = Math.floorDiv(time, DAY_MS) * DAY_MS;
        }
    }

    private static void close(EnergyMeter m, long now, Buckets out) {
        out.closed(m.bucketStart, now, m.sums[EnergyMeter.BUCKET + EnergyMeter.PRODUCED],
                m.sums[EnergyMeter.BUCKET + EnergyMeter.CONSUMED], m.sums[EnergyMeter.BUCKET + EnergyMeter.VOLUME]);
        java.util.Arrays.fill(m.sums, EnergyMeter.BUCKET, EnergyMeter.BUCKET + 3, 0);
    }

    /** The meter as a snapshot shows it, with the model's figures of merit. */
    public static EnergyView view(EnergyMeter m, EnergySpec spec) {
        return new EnergyView(spec.ratedKw(),
                period(m, spec, EnergyMeter.HOUR, m.hourStart, HOUR_MS, true),
                period(m, spec, EnergyMeter.DAY, m.dayStart, DAY_MS, true),
                period(m, spec, EnergyMeter.PREVIOUS_HOUR, m.previousHourStart, HOUR_MS, false),
                period(m, spec, EnergyMeter.PREVIOUS_DAY, m.previousDayStart, DAY_MS, false),
                m.sums[EnergyMeter.TOTAL + EnergyMeter.PRODUCED], m.sums[EnergyMeter.TOTAL + EnergyMeter.CONSUMED]);
    }

    private static EnergyView.Period period(EnergyMeter m, EnergySpec spec, int at, long start, long length,
            boolean current) {
        if (start == Long.MIN_VALUE) {
            return null;
        }
        double produced = m.sums[at + EnergyMeter.PRODUCED];
        double consumed = m.sums[at + EnergyMeter.CONSUMED];
        double volume = m.sums[at + EnergyMeter.VOLUME];
        // the part of the period the meter saw: from its first sample if it began within it, to its last if current
        long from = Math.max(start, m.since);
        long span = current ? Math.min(length, Math.max(0, m.coveredTo - from)) : Math.max(0, start + length - from);
        return new EnergyView.Period(start, produced, consumed, spec.volumeFlow() == null ? null : volume,
                EnergyView.capacityFactor(produced, spec.ratedKw(), span),
                EnergyView.specificEnergy(consumed, spec.volumeFlow() == null ? null : volume),
                spec.direction() == EnergySpec.Direction.STORAGE ? EnergyView.roundTrip(produced, consumed) : null);
    }
}
