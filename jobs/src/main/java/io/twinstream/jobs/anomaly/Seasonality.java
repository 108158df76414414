package io.twinstream.jobs.anomaly;

/**
 * An additive daily and weekly profile per sensor, learned online from the readings' timestamps (no period is
 * configured per series): 24 hour-of-day and 7 day-of-week values, interpolated linearly between their centres,
 * kept with zero mean so that they describe only the shape of the cycle, around a level with a week's memory, and per
 * day of the week the amplitude of the daily shape (7 values with mean 1). This
 * is the seasonal part of additive Holt-Winters (Winters, 1960) with the two fixed calendar periods that telemetry
 * and human activity share, fitted by backfitting the two profiles against each other.
 *
 * <p>A profile is learned from the time a series has spanned {@link #START_AFTER_MS}, and applied once the series
 * spans two of its periods, so a series of minutes (a test rig, the generator's demo) carries no seasonal state at
 * all. A profile that does not help predict the series (a short-memory level's one-step error with the profile
 * taken off is not clearly smaller than without: a flat series with steps, plain noise) is learned but not applied. State: {@link #STRIDE}
 * numbers per sensor in {@code ScoringState.season}.
 */
public final class Seasonality {
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long WEEK = 7 * DAY;
    /** The weekly profile applies once a series spans this long. */
    static final long WEEKLY_AFTER = 2 * WEEK;
    /** A series is given a profile once it spans this long. */
    public static final long START_AFTER_MS = 12 * HOUR;
    /** Periods of memory of each profile value. */
    private static final double PROFILE_MEMORY_PERIODS = 2;

    private static final int DAILY = 0; // 24 values
    private static final int WEEKLY = 24; // 7 values
    private static final int LEVEL = 31;
    private static final int SAMPLES = 32;
    /**
     * The test of usefulness: a short-memory level of the value with the profile taken off and one of the raw
     * value, and the mean absolute one-step error of each.
     */
    private static final int TEST_LEVEL_WITH = 33;
    private static final int TEST_LEVEL_WITHOUT = 34;
    private static final int ERROR_WITH = 35;
    private static final int ERROR_WITHOUT = 36;
    /**
     * Per day of the week, the amplitude of the daily profile (mean 1): busy weekdays and flat weekends are one
     * daily shape at amplitudes near 1.4 and near 0, an interaction no sum of a daily and a weekly profile can hold.
     * Learned and applied with the weekly profile.
     */
    private static final int AMPLITUDE = 37; // 7 values
    public static final int STRIDE = 44;
    /** The layout before the amplitudes, still read from state written by earlier versions. */
    static final int STRIDE_WITHOUT_AMPLITUDES = 37;
    /** The profile is applied only while it cuts the test's one-step error to at most this share. */
    static final double USEFUL_SHARE = 0.8;
    /** Smoothing constant of the test's levels. */
    private static final double TEST_LEVEL_RATE = 0.1;
    /** Readings over which the test's errors are averaged. */
    private static final double ERROR_MEMORY = 500;

    private Seasonality() {}

    public static double[] newState(int sensors) {
        double[] st = new double[sensors * STRIDE];
        for (int j = 0; j < sensors; j++) {
            java.util.Arrays.fill(st, j * STRIDE + AMPLITUDE, j * STRIDE + AMPLITUDE + 7, 1);
        }
        return st;
    }

    /** A profile as stored: one written before the amplitudes gets them at 1 (the profile it had). */
    public static double[] migrate(double[] stored, int sensors) {
        if (stored == null || stored.length != sensors * STRIDE_WITHOUT_AMPLITUDES) {
            return stored;
        }
        double[] st = newState(sensors);
        for (int j = 0; j < sensors; j++) {
            System.arraycopy(stored, j * STRIDE_WITHOUT_AMPLITUDES, st, j * STRIDE, STRIDE_WITHOUT_AMPLITUDES);
        }
        return st;
    }

    private static double amplitude(double[] st, int o, long t, long span) {
        return span >= WEEKLY_AFTER ? interpolate(st, o + AMPLITUDE, 7, t, DAY) : 1;
    }

    /** The seasonal offset of sensor j at time t, given how long the series has spanned. */
    public static double offset(double[] st, int j, long t, long span) {
        if (st == null) {
            return 0;
        }
        int o = j * STRIDE;
        if (!(st[o + ERROR_WITH] < USEFUL_SHARE * st[o + ERROR_WITHOUT])) {
            return 0;
        }
        double v = 0;
        if (span >= 2 * DAY) {
            v += amplitude(st, o, t, span) * interpolate(st, o + DAILY, 24, t, HOUR);
        }
        if (span >= WEEKLY_AFTER) {
            v += interpolate(st, o + WEEKLY, 7, t, DAY);
        }
        return v;
    }

    /** Learns sensor j's value v at time t, dt after the previous reading, the series having spanned {@code span}. */
    public static void learn(double[] st, int j, double v, long t, long dt, long span) {
        int o = j * STRIDE;
        double samples = st[o + SAMPLES] + 1;
        st[o + SAMPLES] = samples;
        double shape = interpolate(st, o + DAILY, 24, t, HOUR);
        double amplitude = amplitude(st, o, t, span);
        double daily = amplitude * shape;
        // the weekly profile is learned from the start but, like the offset, only counts once it applies: before
        // that its young values would leak into the daily profile as noise
        double weekly = span >= WEEKLY_AFTER ? interpolate(st, o + WEEKLY, 7, t, DAY) : 0;
        double profile = daily + weekly;
        if (samples == 1) {
            st[o + LEVEL] = v;
            st[o + TEST_LEVEL_WITH] = v;
            st[o + TEST_LEVEL_WITHOUT] = v;
            return;
        }
        double errorRate = 1 / Math.min(samples, ERROR_MEMORY);
        st[o + ERROR_WITH] += errorRate * (Math.abs(v - profile - st[o + TEST_LEVEL_WITH]) - st[o + ERROR_WITH]);
        st[o + ERROR_WITHOUT] += errorRate * (Math.abs(v - st[o + TEST_LEVEL_WITHOUT]) - st[o + ERROR_WITHOUT]);
        st[o + TEST_LEVEL_WITH] += TEST_LEVEL_RATE * (v - profile - st[o + TEST_LEVEL_WITH]);
        st[o + TEST_LEVEL_WITHOUT] += TEST_LEVEL_RATE * (v - st[o + TEST_LEVEL_WITHOUT]);
        double levelRate = Math.max(1 - Math.exp(-(double) dt / WEEK), 1 / samples);
        st[o + LEVEL] += levelRate * (v - daily - weekly - st[o + LEVEL]);
        double error = v - st[o + LEVEL] - weekly - daily;
        // the shape learns in proportion to the day's amplitude (least mean squares): a flat day barely teaches it
        update(st, o + DAILY, 24, t, HOUR, amplitude * error, dt);
        update(st, o + WEEKLY, 7, t, DAY, v - st[o + LEVEL] - daily - interpolate(st, o + WEEKLY, 7, t, DAY), dt);
        if (span >= WEEKLY_AFTER) {
            learnAmplitude(st, o, t, dt, shape, error);
        }
    }

    /** Normalised least mean squares on the day's amplitude, then back to mean 1 with the shape rescaled to match. */
    private static void learnAmplitude(double[] st, int o, long t, long dt, double shape, double error) {
        double power = 0;
        for (int h = 0; h < 24; h++) {
            power += st[o + DAILY + h] * st[o + DAILY + h];
        }
        power /= 24;
        if (power <= 0) {
            return;
        }
        double rate = 1 - Math.exp(-(double) Math.min(dt, DAY) / (PROFILE_MEMORY_PERIODS * DAY));
        spread(st, o + AMPLITUDE, 7, t, DAY, rate * error * shape / power);
        double mean = 0;
        for (int d = 0; d < 7; d++) {
            st[o + AMPLITUDE + d] = Math.max(0, st[o + AMPLITUDE + d]);
            mean += st[o + AMPLITUDE + d];
        }
        mean /= 7;
        if (mean <= 0) {
            java.util.Arrays.fill(st, o + AMPLITUDE, o + AMPLITUDE + 7, 1);
            return;
        }
        for (int d = 0; d < 7; d++) {
            st[o + AMPLITUDE + d] /= mean;
        }
        for (int h = 0; h < 24; h++) {
            st[o + DAILY + h] *= mean;
        }
    }

    /** Adds {@code amount} to the two values around t, by their interpolation weights. */
    private static void spread(double[] st, int base, int bins, long t, long width, double amount) {
        double u = (double) Math.floorMod(t, width * bins) / width - 0.5;
        int b0 = (int) Math.floor(u);
        double f = u - b0;
        st[base + Math.floorMod(b0, bins)] += (1 - f) * amount;
        st[base + Math.floorMod(b0 + 1, bins)] += f * amount;
    }

    private static double interpolate(double[] st, int base, int bins, long t, long width) {
        double u = (double) Math.floorMod(t, width * bins) / width - 0.5;
        int b0 = (int) Math.floor(u);
        double f = u - b0;
        return (1 - f) * st[base + Math.floorMod(b0, bins)] + f * st[base + Math.floorMod(b0 + 1, bins)];
    }

    /** Moves the two values around t toward the error by their interpolation weights, then re-centres the profile. */
    private static void update(double[] st, int base, int bins, long t, long width, double error, long dt) {
        double rate = 1 - Math.exp(-(double) Math.min(dt, width) / (PROFILE_MEMORY_PERIODS * width));
        spread(st, base, bins, t, width, rate * error);
        double mean = 0;
        for (int b = 0; b < bins; b++) {
            mean += st[base + b];
        }
        mean /= bins;
        for (int b = 0; b < bins; b++) {
            st[base + b] -= mean;
        }
    }
}
