package io.twinstream.jobs.anomaly;

/**
 * The calibrated surprise of one sensor's reading: how rare its deviation from what the series predicts is, given
 * the deviations that series has shown so far. {@code anomaly_score} is {@code 1 - P}, with P the estimated
 * probability of a deviation at least this large, so a score of 0.99 means "rarer than 99% of this series' own
 * readings" whatever the series' scale, noise, sampling rate or shape of its noise.
 *
 * <p>What it follows:
 * <ul>
 *   <li><b>Prediction</b>: simple exponential smoothing, with the smoothing constant chosen online from a small grid
 *       (a slow and a fast level, and persistence, the last value), on the value less its seasonal profile
 *       ({@link Seasonality}, a Holt-Winters-style additive profile found from the timestamps). Each predictor keeps
 *       its own mean absolute one-step error (its scale). The deviation of a reading is the <em>smallest</em> of the
 *       three normalised errors: a reading is news only if no predictor saw it coming. So a spike scores at its
 *       onset, and a level shift at its first reading, after which persistence predicts the new level and the
 *       surprise falls back: the change is no longer news (the alert lifecycle, not this score, tracks the
 *       condition while it lasts).</li>
 *   <li><b>Calibration</b>: exponentially weighted exceedance rates of the deviation at fixed thresholds (a
 *       histogram of its upper tail, {@link #THRESHOLDS}), with a Laplace-tail prior worth {@link #PRIOR_WEIGHT}
 *       readings; P is interpolated log-linearly between thresholds and extrapolated exponentially past the last.
 *       A series whose normal includes bursts or quantised steps learns that large deviations are common and scores
 *       them low; a quiet series scores the same deviation high. This is the "anomaly likelihood" idea (Ahmad et
 *       al., 2017), with an empirical tail in place of a Gaussian one.</li>
 * </ul>
 * State per sensor: {@link #STRIDE} numbers in {@code ScoringState.surprise}, plus the seasonal profile's.
 */
public final class Surprise {
    /** Deviation thresholds (in units of the predictor's mean absolute error) whose exceedance rates are kept. */
    static final double[] THRESHOLDS = {1, 2, 2.5, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48};
    /** Smoothing constants of the two levels; persistence is the third predictor. */
    private static final double[] LEVEL_RATES = {0.02, 0.2};
    private static final int PREDICTORS = LEVEL_RATES.length + 1;
    /**
     * A predictor explains a reading only while its usual error is within this factor of the best one's: a slow
     * level lagging a fast cycle would otherwise excuse everything, since its own large error scale makes any
     * deviation look small.
     */
    static final double COMPETENT_SCALE_RATIO = 3;
    /** Pseudo-readings of the Laplace prior: what the calibration believes before it has seen the series. */
    static final double PRIOR_WEIGHT = 20;
    /** The prior's pseudo-exceedances at each threshold: {@code PRIOR_WEIGHT * exp(-threshold)}. */
    private static final double[] PRIOR = new double[THRESHOLDS.length];

    static {
        for (int k = 0; k < THRESHOLDS.length; k++) {
            PRIOR[k] = PRIOR_WEIGHT * Math.exp(-THRESHOLDS[k]);
        }
    }
    /** Readings over which a predictor's error scale is averaged (at most). */
    private static final double SCALE_MEMORY = 200;
    /** Readings over which a run's usual size is averaged (at most): a run is slow, its size needs more of them. */
    private static final double RUN_SCALE_MEMORY = 1000;
    /** An error counts at most this many scales when it updates the scale, so one outlier cannot blind it. */
    private static final double SCALE_CLIP = 8;

    /** Smoothing constant of the run: the recent mean of the signed deviation from the slow level. */
    private static final double RUN_RATE = 0.1;
    /**
     * A run rarer than this is news once: the slow level then moves to the fast one, so a lasting change is not
     * reported again and again while the slow level catches up.
     */
    static final double RUN_RESET_PROBABILITY = 1e-3;
    /**
     * A condition rarer than this is not learned from: its calibration and usual size skip the reading and its
     * reference moves at {@link #RARE_REFERENCE_SHARE} of its rate. Otherwise a fault held for minutes teaches them
     * that it is normal within a few dozen readings (in a young series each reading weighs 1/count), long before an
     * incident holds them. Rare enough that leaving these readings out does not bend the calibration: the tail it
     * extrapolates from ({@link #peaksOverThreshold}) lies where the condition is a hundred times more common.
     */
    static final double CONDITION_LEARN_PROBABILITY = 1e-3;
    /** How fast the condition's reference still follows a rare condition, as a share of its usual rate. */
    static final double RARE_REFERENCE_SHARE = 0.1;
    /**
     * Exceedances a threshold needs before its rate is trusted as the condition's tail; past the highest such
     * threshold the tail is extrapolated. The condition is a mean over about 19 readings (rate 0.1), so 50 readings
     * are two or three independent episodes, not fifty.
     */
    static final double MIN_TAIL_COUNT = 50;

    private static final int COUNT = 0;
    private static final int LEVEL = 1; // PREDICTORS - 1 levels, then the last value
    private static final int LAST = LEVEL + LEVEL_RATES.length;
    private static final int SCALE = LAST + 1; // PREDICTORS scales
    private static final int TOTAL = SCALE + PREDICTORS;
    private static final int EXCEED = TOTAL + 1;
    private static final int RUN = EXCEED + THRESHOLDS.length;
    private static final int RUN_SCALE = RUN + 1;
    private static final int RUN_EXCEED = RUN_SCALE + 1;
    /** The condition's reference: a slow level that news does not reset, held while an incident is open. */
    private static final int REFERENCE = RUN_EXCEED + THRESHOLDS.length;
    /** The recent mean of the signed deviation from the reference, and its usual size in normal operation. */
    private static final int CONDITION_RUN = REFERENCE + 1;
    private static final int CONDITION_SCALE = CONDITION_RUN + 1;
    /** The condition's own calibration: unlike the news run it is never reset, so its tail is heavier. */
    private static final int CONDITION_EXCEED = CONDITION_SCALE + 1;
    public static final int STRIDE = CONDITION_EXCEED + THRESHOLDS.length;

    private Surprise() {}

    public static double[] newState(int sensors) {
        return new double[sensors * STRIDE];
    }

    /**
     * P of sensor j's reading {@code y} (already less its seasonal profile), then learns from it.
     *
     * @param memory readings over which the calibration's exceedance rates are averaged (at most)
     * @param warmup readings before which P is 1 (nothing is surprising yet)
     */
    /**
     * Judges and learns sensor j's reading {@code y} (already less its seasonal profile).

     * @param held      an incident is open: the condition's reference level stays where it was, so the condition
     *                  measures how far the series still is from the normal before the incident, and the runs'
     *                  calibration does not learn from it
     * @param condition receives at [j] the tail probability of the condition: how unusual the series' recent level
     *                  is against the reference (a slow level that news does not reset)
     * @return the reading's tail probability (its news): the smaller of the instant deviation's and the run's,
     *         doubled for the two
     */
    public static double observe(double[] st, int j, double y, double memory, int warmup, boolean held,
            double[] condition) {
        int o = j * STRIDE;
        double count = st[o + COUNT];
        if (count == 0) {
            for (int k = 0; k < LEVEL_RATES.length; k++) {
                st[o + LEVEL + k] = y;
            }
            st[o + REFERENCE] = y;
            st[o + LAST] = y;
            st[o + COUNT] = 1;
            condition[j] = 1;
            return 1;
        }
        double floor = 1e-9 + 1e-9 * Math.abs(st[o + LEVEL]);
        double deviation = Double.POSITIVE_INFINITY;
        double bestScale = Double.POSITIVE_INFINITY;
        for (int k = 0; k < PREDICTORS; k++) {
            bestScale = Math.min(bestScale, st[o + SCALE + k]);
        }
        for (int k = 0; k < PREDICTORS; k++) {
            double scale = st[o + SCALE + k];
            if (scale <= COMPETENT_SCALE_RATIO * bestScale) {
                deviation = Math.min(deviation, Math.abs(y - predicted(st, o, k)) / (scale + floor));
            }
        }
        boolean warm = count > warmup;
        double slowScale = st[o + SCALE] + floor;
        // the runs start once the error scales mean something: a young scale near 0 would blow them up for long
        double runRate = warm ? RUN_RATE : 0;
        double run = st[o + RUN] + runRate * ((y - st[o + LEVEL]) / slowScale - st[o + RUN]);
        double runDeviation = Math.abs(run) / (st[o + RUN_SCALE] + 1e-12);
        // a run is judged once its own usual size has been learned for another warm-up: judged against a size of 0,
        // the first warm reading of every series would be a certain anomaly
        boolean runWarm = count > 2L * warmup;
        double pInstant = warm ? tail(st, o, EXCEED, deviation) : 1;
        double pRun = runWarm ? tail(st, o, RUN_EXCEED, runDeviation) : 1;

        // learn: the calibrations first (from the deviations just judged), then the scales and levels
        double conditionRun = st[o + CONDITION_RUN] + runRate * ((y - st[o + REFERENCE]) / slowScale
                - st[o + CONDITION_RUN]);
        double conditionScale = st[o + CONDITION_SCALE];
        double conditionDeviation = Math.abs(conditionRun) / (conditionScale + 1e-12);
        condition[j] = runWarm ? peaksOverThreshold(st, o, CONDITION_EXCEED, conditionDeviation) : 1;
        st[o + CONDITION_RUN] = conditionRun;
        boolean rare = condition[j] < CONDITION_LEARN_PROBABILITY;
        learnCondition(st, o, y, count, warmup, warm, held, rare, conditionRun);
        double forget = 1 / Math.min(count, memory);
        st[o + TOTAL] = st[o + TOTAL] * (1 - forget) + 1;
        for (int k = 0; k < THRESHOLDS.length; k++) {
            st[o + EXCEED + k] = st[o + EXCEED + k] * (1 - forget) + (deviation > THRESHOLDS[k] ? 1 : 0);
            if (!held) {
                st[o + RUN_EXCEED + k] = st[o + RUN_EXCEED + k] * (1 - forget) + (runDeviation > THRESHOLDS[k] ? 1 : 0);
            }
            if (!held && !rare) {
                st[o + CONDITION_EXCEED + k] = st[o + CONDITION_EXCEED + k] * (1 - forget)
                        + (conditionDeviation > THRESHOLDS[k] ? 1 : 0);
            }
        }
        if (!held && warm) {
            learnUsualSize(st, o + RUN_SCALE, run, count, warmup);
        }
        st[o + RUN] = run;
        double scaleRate = 1 / Math.min(count, SCALE_MEMORY);
        for (int k = 0; k < PREDICTORS; k++) {
            double scale = st[o + SCALE + k];
            double error = Math.abs(y - predicted(st, o, k));
            double e = warm ? Math.min(error, SCALE_CLIP * (scale + floor)) : error;
            st[o + SCALE + k] = scale + scaleRate * (e - scale);
        }
        for (int k = 0; k < LEVEL_RATES.length; k++) {
            double rate = Math.max(LEVEL_RATES[k], 1 / (count + 1));
            st[o + LEVEL + k] += rate * (y - st[o + LEVEL + k]);
        }
        st[o + LAST] = y;
        st[o + COUNT] = count + 1;
        if (pRun < RUN_RESET_PROBABILITY) { // both levels to what the best predictor now says
            int best = 0;
            for (int k = 1; k < PREDICTORS; k++) {
                best = st[o + SCALE + k] < st[o + SCALE + best] ? k : best;
            }
            double level = best < LEVEL_RATES.length ? st[o + LEVEL + best] : y;
            for (int k = 0; k < LEVEL_RATES.length; k++) {
                st[o + LEVEL + k] = level;
            }
            st[o + RUN] = 0;
        }
        return Math.min(1, 2 * Math.min(pInstant, pRun));
    }

    private static double predicted(double[] st, int o, int k) {
        return k < LEVEL_RATES.length ? st[o + LEVEL + k] : st[o + LAST];
    }

    private static void learnCondition(double[] st, int o, double y, double count, int warmup, boolean warm,
            boolean held, boolean rare, double conditionRun) {
        if (held) {
            return;
        }
        if (warm && !rare) {
            learnUsualSize(st, o + CONDITION_SCALE, conditionRun, count, warmup);
        }
        double rate = Math.max(LEVEL_RATES[0], 1 / (count + 1)) * (rare ? RARE_REFERENCE_SHARE : 1);
        st[o + REFERENCE] += rate * (y - st[o + REFERENCE]);
    }

    /**
     * One step of a run's usual size (its mean absolute value) at {@code st[at]}. Clipped at {@link #SCALE_CLIP}
     * sizes once the runs are judged; unclipped before, because a first size near 0 (a quantised series whose running
     * mean is exactly where it reads) could otherwise grow only by the clip's factor per reading, for ages.
     */
    private static void learnUsualSize(double[] st, int at, double run, double count, int warmup) {
        double size = st[at];
        double e = count > 2L * warmup ? Math.min(Math.abs(run), SCALE_CLIP * size) : Math.abs(run);
        st[at] = size + 1 / Math.min(count - warmup, RUN_SCALE_MEMORY) * (e - size);
    }

    /** The condition's reference of sensor j (less its season): the level the series is expected near. */
    public static double level(double[] st, int j) {
        return st[j * STRIDE + REFERENCE];
    }

    /**
     * Back to learning after an incident became the new normal: the slow level takes the fast one and the run
     * starts again.
     */
    public static void rebaseline(double[] st, int j) {
        int o = j * STRIDE;
        st[o + REFERENCE] = st[o + LEVEL + 1];
        st[o + CONDITION_RUN] = 0;
    }

    /**
     * P(deviation >= d) from the exceedance rates, log-linear between thresholds, exponential past the last. The
     * rates never rise with the threshold (each reading adds to a prefix of them), so only the two thresholds around d
     * are needed: a scan and one power instead of a logarithm per threshold, as this runs for every reading.
     */
    static double tail(double[] st, int o, int exceed, double d) {
        double total = st[o + TOTAL] + PRIOR_WEIGHT;
        int last = THRESHOLDS.length - 1;
        int k = 0;
        while (k <= last && d > THRESHOLDS[k]) {
            k++;
        }
        if (k > last) {
            return (st[o + exceed + last] + PRIOR[last]) / total * Math.exp(-(d - THRESHOLDS[last]));
        }
        double p = (st[o + exceed + k] + PRIOR[k]) / total;
        double prevC = k == 0 ? 0 : THRESHOLDS[k - 1];
        double prevP = k == 0 ? 1 : (st[o + exceed + k - 1] + PRIOR[k - 1]) / total;
        return prevP * Math.pow(p / prevP, (d - prevC) / (THRESHOLDS[k] - prevC));
    }

    /**
     * P(deviation >= d) as {@link #tail}, except past the highest threshold exceeded at least {@link #MIN_TAIL_COUNT}
     * times: there the tail is exponential (peaks over threshold, as in SPOT, Siffer et al. 2017, with an exponential
     * in place of a generalised Pareto), its decay taken from that threshold and the one about e times more common.
     * An empirical tail cannot say less than about one in the readings seen, which in a young series (600 readings,
     * eight sensors to correct for) is never rare enough to raise anything; nor can a few correlated exceedances set
     * it.
     */
    static double peaksOverThreshold(double[] st, int o, int exceed, double d) {
        double total = st[o + TOTAL] + PRIOR_WEIGHT;
        int top = 0;
        for (int k = 1; k < THRESHOLDS.length; k++) {
            if (st[o + exceed + k] + PRIOR[k] >= MIN_TAIL_COUNT) {
                top = k;
            }
        }
        if (d <= THRESHOLDS[top]) {
            return tail(st, o, exceed, d);
        }
        double cTop = st[o + exceed + top] + PRIOR[top];
        int low = -1;
        for (int k = top - 1; k >= 0; k--) {
            if (st[o + exceed + k] + PRIOR[k] >= Math.E * cTop) {
                low = k;
                break;
            }
        }
        double cLow = low < 0 ? total : st[o + exceed + low] + PRIOR[low];
        if (cLow <= cTop) { // nothing to take a decay from yet (a young series whose every reading exceeded it)
            return tail(st, o, exceed, d);
        }
        double tLow = low < 0 ? 0 : THRESHOLDS[low];
        double beta = (THRESHOLDS[top] - tLow) / Math.log(cLow / cTop);
        return cTop / total * Math.exp(-(d - THRESHOLDS[top]) / beta);
    }

    /** Combines per-sensor tail probabilities into one for the reading: the smallest, Bonferroni-corrected. */
    public static double combine(double smallest, int sensors) {
        return Math.min(1, smallest * Math.max(1, sensors));
    }
}
