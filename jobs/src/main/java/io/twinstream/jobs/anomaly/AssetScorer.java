package io.twinstream.jobs.anomaly;

import io.twinstream.schemas.Detector;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Online, self-calibrating anomaly detectors for one asset's readings (or one series). Pure Java,
 * so the pipeline's scoring operator and the CSV backtest run exactly the same code.
 *
 * <p>Per reading and sensor, four detectors; the sensor's score is the highest:
 * <ul>
 *   <li><b>RESIDUAL</b>: the value is predicted from the asset's other sensors by an exponentially
 *       weighted linear model of all its sensors (mean and covariance learned online). A change
 *       that the other sensors explain — a pump stopping, a battery switching from driving to
 *       charging — leaves a small residual: correlated sensors make the score quieter, not noisier.
 *       The score rises when the residual is both unusual for this sensor (|r| over its learned
 *       usual size, widened when the other sensors are far from anything the model has seen, as a
 *       regression's prediction interval widens) and material (|r| as a share of the sensor's range);</li>
 *   <li><b>SHIFT</b>: the recent mean of the signed residual is off, persistently and in one
 *       direction: a drift too slow for any single reading to stand out;</li>
 *   <li><b>RANGE</b>: the value lies outside the model's valid physical range;</li>
 *   <li><b>STUCK</b>: the exact same value repeats longer than this sensor's own learned repeat
 *       rate makes plausible.</li>
 * </ul>
 * Readings that score high barely move the baseline, so a slow fault is not learned as normal.
 * A trend of each sensor's level against time gives remaining useful life toward its limits.
 */
public final class AssetScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** |residual| / mean absolute residual = z * sqrt(pi/2) for Gaussian residuals. */
    private static final double MEAN_ABS_TO_STDDEV = Math.sqrt(Math.PI / 2);
    /** Share of normal learning that a reading scoring above the freeze score still gets. */
    private static final double ANOMALOUS_LEARNING_SHARE = 0.1;
    /** Ridge regularisation, relative to each regressor's variance: keeps collinear sensors stable. */
    private static final double RIDGE = 1e-3;
    /** Stuck score the moment a run becomes implausible; it then grows to 1 over as many readings again. */
    private static final double STUCK_SCORE_AT_DETECTION = 0.75;
    private static final SensorResult NOTHING = new SensorResult(0, Detector.NONE, Double.NaN, Double.NaN);
    /** Tail probability, as -log10, where a model-less sensor's condition score starts to rise ... */
    static final double CONDITION_FROM = 3;
    /** ... and where it reaches 1. */
    static final double CONDITION_FULL = 5;
    /** A sensor that repeats its value this often is naturally constant and never called stuck. */
    private static final double NATURALLY_CONSTANT = 0.999;
    /** Repeat rates are averaged over at most this many readings. */
    private static final int REPEAT_MEMORY = 2000;
    /**
     * A plateau is a freeze only once it lasts this many times the longest plateau the sensor has held and left:
     * among a quantised sensor's runs a new longest one keeps turning up (the record of n runs grows with log n),
     * twice the record is rare.
     */
    private static final int LONGEST_RUN_FACTOR = 2;

    private final ScoringSettings settings;

    /**
     * Work arrays of {@link #predict}, reused across calls: it runs for every reading. A scorer serves one operator
     * instance, and Flink calls an operator from one thread; they are rebuilt after deserialization.
     */
    private transient double[] factor;
    private transient double[] inverse;
    private transient double[] scale;
    private transient double[] standardized;
    /** Per sensor, the reading's surprise, condition and reference ({@link #observe}), reused likewise. */
    private transient double[] news;
    private transient double[] condition;
    private transient double[] reference;

    public AssetScorer(ScoringSettings settings) {
        this.settings = settings;
    }

    public ScoringSettings settings() {
        return settings;
    }

    public ScoringState newState(String[] sensors) {
        int n = sensors.length;
        int panes = settings.openPanes();
        ScoringState s = new ScoringState();
        s.sensors = sensors.clone();
        s.last = filled(n, Double.NaN);
        s.mean = new double[n];
        s.cov = new double[n * n];
        s.residualScale = new double[n];
        s.changeVar = new double[n];
        s.shift = new double[n];
        s.seenMin = filled(n, Double.POSITIVE_INFINITY);
        s.seenMax = filled(n, Double.NEGATIVE_INFINITY);
        s.repeatRun = new int[n];
        s.repeatProbability = new double[n];
        s.trendValueMean = new double[n];
        s.trendCov = new double[n];
        s.trendValueVar = new double[n];
        s.paneEnd = new long[panes];
        Arrays.fill(s.paneEnd, Long.MIN_VALUE);
        s.paneScore = new double[panes * n];
        s.paneDetector = new int[panes * n];
        s.paneObserved = new double[panes * n];
        s.paneExpected = new double[panes * n];
        s.paneSamples = new int[panes * n];
        return s;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * Scores one reading and learns from it.
     *
     * @param values one value per sensor of the state, NaN where the reading lacks the sensor
     * @param min    valid range per sensor, NaN where unknown
     * @param max    valid range per sensor, NaN where unknown
     * @return per sensor its result, and the reading's surprise
     */
    public Scores score(ScoringState s, long timestamp, double[] values, double[] min, double[] max) {
        int n = s.sensors.length;
        SensorResult[] results = new SensorResult[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = !Double.isNaN(values[i]) ? values[i] : !Double.isNaN(s.last[i]) ? s.last[i] : s.mean[i];
        }
        if (s.longestRun == null) {
            s.longestRun = new int[n];
        }
        boolean first = s.samples == 0;
        s.samples++;
        if (first) {
            System.arraycopy(x, 0, s.mean, 0, n);
            s.trendOrigin = timestamp;
        }
        boolean warm = s.samples > settings.warmupSamples();
        double worst = 0;
        double[] predictions = new double[n];
        double[] distance = new double[n];
        predict(s, x, predictions, distance);
        double[] motion = motion(s, values);
        if (news == null || news.length < n) {
            news = new double[n];
            condition = new double[n];
            reference = new double[n];
        }
        int present = observe(s, timestamp, values, min, news, condition, reference);
        for (int j = 0; j < n; j++) {
            if (Double.isNaN(values[j])) {
                predictions[j] = Double.NaN;
                continue;
            }
            double v = values[j];
            if (!first && v == s.last[j]) {
                s.repeatRun[j]++;
            } else {
                // a plateau that ended is one of the sensor's runs, counted up to just below the bar it was judged
                // by: a repaired freeze then raises the bar a little, not to twice its own length, and plateaus taken
                // for freezes while the sensor was young still raise it until they no longer reach it. The run in
                // progress never counts, or a freeze would keep raising the bar it has to pass. The bar (two
                // logarithms) is worked out only for a plateau longer than the longest, rare once a sensor is known.
                if (s.repeatRun[j] > s.longestRun[j]) {
                    double counted = Math.min(s.repeatRun[j], stuckRunRequired(s, j) - 1);
                    s.longestRun[j] = (int) Math.max(s.longestRun[j], counted);
                }
                s.repeatRun[j] = 1;
            }
            double expected = predictions[j];
            if (s.lastTimestamp != Long.MIN_VALUE) {
                double ws = 1 - Math.exp(-(double) Math.max(0, timestamp - s.lastTimestamp) / settings.shiftTimeConstantMs());
                double signed = Math.signum(v - expected) * normalised(v - expected, distance[j], motion[j]);
                s.shift[j] += ws * (signed - s.shift[j]);
            }
            if (!warm) {
                results[j] = new SensorResult(0, Detector.NONE, v, expected);
                continue;
            }
            SensorResult r = NOTHING;
            if (n > 1 || !Double.isNaN(min[j])) { // the residual needs other sensors to regress on, or a range
                double range = range(s, j, min, max);
                r = residual(s, j, v, expected, distance[j], motion[j], range);
                SensorResult shifted = shift(s, j, v, expected, range);
                if (shifted.score() > r.score()) {
                    r = shifted;
                }
            }
            if (Double.isNaN(min[j])) {
                // without a model, also the calibrated run against the held baseline, which needs neither
                SensorResult c = calibratedCondition(condition[j] * present, v, reference[j]);
                if (c.score() > r.score()) {
                    r = c;
                }
            }
            if (!Double.isNaN(min[j]) && (v < min[j] || v > max[j])) {
                r = new SensorResult(1.0, Detector.RANGE, v, expected);
            }
            double stuck = stuckScore(s, j);
            // a frozen sensor reads "off" as a consequence: the freeze is the condition to report (not a range breach)
            if (stuck > 0 && (stuck > r.score() || r.detector() != Detector.RANGE)) {
                r = new SensorResult(stuck, Detector.STUCK, v, expected);
            }
            results[j] = r;
            worst = Math.max(worst, r.score());
        }
        double surprise = surprise(s, values, results, news, present, min, max);
        learn(s, timestamp, values, x, predictions, distance, motion, worst >= settings.freezeScore());
        return new Scores(results, surprise);
    }

    /**
     * One reading's scores: per sensor the condition (null where the reading lacks the sensor, 0 while warming up),
     * and the reading's calibrated surprise, its {@code anomaly_score}.
     */
    public record Scores(SensorResult[] sensors, double surprise) {}

    /**
     * Runs the {@link Surprise} model (and seasonal profile) of each present sensor without a model's range: into
     * {@code news} its tail probability, into {@code condition} its condition's, into {@code reference} the value it is
     * expected near (its held or slow level plus the season); 1 for the others. Returns how many sensors the reading
     * has. A sensor with a model's range is judged by the model-based detectors (RESIDUAL, SHIFT, RANGE, STUCK): its
     * surprise would be computed for nothing, at 1.2 µs per reading of a five-sensor pump (JMH scoreUpdate, 697 ns
     * without it, 1,883 ns with it); its news is a range breach or a freeze, at the reading it starts.
     */
    private int observe(ScoringState s, long timestamp, double[] values, double[] min, double[] news,
            double[] condition, double[] reference) {
        int n = s.sensors.length;
        int present = 0;
        boolean anyWithoutModel = false;
        for (int j = 0; j < n; j++) {
            news[j] = 1;
            condition[j] = 1;
            present += Double.isNaN(values[j]) ? 0 : 1;
            anyWithoutModel |= Double.isNaN(min[j]);
        }
        if (!anyWithoutModel) {
            return present;
        }
        if (s.surprise == null) {
            s.surprise = Surprise.newState(n);
        }
        long span = s.samples <= 1 ? 0 : timestamp - s.trendOrigin;
        if (s.season == null && span >= Seasonality.START_AFTER_MS) {
            s.season = Seasonality.newState(n);
        }
        long dt = s.lastTimestamp == Long.MIN_VALUE ? 0 : Math.max(0, timestamp - s.lastTimestamp);
        for (int j = 0; j < n; j++) {
            double v = values[j];
            if (Double.isNaN(v) || !Double.isNaN(min[j])) {
                continue;
            }
            double offset = Seasonality.offset(s.season, j, timestamp, span);
            news[j] = Surprise.observe(s.surprise, j, v - offset, settings.surpriseMemory(), settings.surpriseWarmup(),
                    s.baselineHeld, condition);
            reference[j] = Surprise.level(s.surprise, j) + offset;
            if (s.season != null) {
                Seasonality.learn(s.season, j, v, timestamp, dt, span);
            }
        }
        return present;
    }

    /**
     * The condition of a sensor without a model: its recent level's tail probability against the held (or slow)
     * baseline, Bonferroni-corrected for the asset's sensors, on a log scale: 0 at {@link #CONDITION_FROM} and
     * below, 1 at {@link #CONDITION_FULL}.
     */
    private static SensorResult calibratedCondition(double p, double v, double expected) {
        double rarity = -Math.log10(Math.max(p, 1e-300));
        double score = clamp01((rarity - CONDITION_FROM) / (CONDITION_FULL - CONDITION_FROM));
        return new SensorResult(score, score > 0 ? Detector.SHIFT : Detector.NONE, v, expected);
    }

    /**
     * The reading's calibrated surprise ({@link Surprise}): 1 - the smallest tail probability over its sensors,
     * Bonferroni-corrected for their number. A value leaving its physical range and a sensor the moment it becomes
     * stuck are news too: the first with probability 0, the second with the stuck detector's false-alarm
     * probability. Both stay conditions (window scores, alerts) while they last, but are news only once.
     */
    private double surprise(ScoringState s, double[] values, SensorResult[] results, double[] news, int present,
            double[] min, double[] max) {
        double smallest = 1;
        for (int j = 0; j < s.sensors.length; j++) {
            if (Double.isNaN(values[j])) {
                continue;
            }
            double p = news[j];
            SensorResult r = results[j];
            if (r != null && r.detector() == Detector.RANGE && !Double.isNaN(s.last[j])
                    && s.last[j] >= min[j] && s.last[j] <= max[j]) {
                p = 0;
            } else if (r != null && r.detector() == Detector.STUCK && r.score() == STUCK_SCORE_AT_DETECTION) {
                p = Math.min(p, settings.stuckFalseAlarmProbability());
            }
            smallest = Math.min(smallest, p);
        }
        return 1 - Surprise.combine(smallest, present);
    }

    /**
     * What the other sensors and the baseline say each sensor should read, into {@code expected}; and into
     * {@code distance} how far the other sensors are from what the baseline has seen (squared Mahalanobis
     * distance): far from it, the linear model extrapolates and its residuals are trusted less.
     *
     * <p>Sensor j's prediction is the regression of j on the other sensors under the learned covariance, with a
     * ridge on their variances. One factorisation serves all sensors: with P the inverse of the regularised
     * covariance and e the deviations x - mean with sensor j's own set to 0, the regression gives
     * mean_j - (P e)_j / P_jj and the other sensors' distance is e'P e - (P e)_j^2 / P_jj (the inverse of a block of
     * a matrix, from the inverse of the whole). The covariance is scaled to a unit diagonal before its Cholesky
     * factorisation, so sensors of very different magnitudes (a pressure in Pa beside a vibration in mm/s) factor as
     * accurately as alike ones.
     */
    void predict(ScoringState s, double[] x, double[] expected, double[] distance) {
        int n = s.sensors.length;
        if (n == 1) {
            noModel(s, expected, distance);
            return;
        }
        if (factor == null || factor.length < n * n) {
            factor = new double[n * n];
            inverse = new double[n * n];
            scale = new double[n];
            standardized = new double[n];
        }
        double[] l = factor;
        double[] y = inverse;
        for (int i = 0; i < n; i++) {
            scale[i] = Math.sqrt(s.cov[i * n + i] + RIDGE * s.cov[i * n + i] + 1e-12);
            standardized[i] = (x[i] - s.mean[i]) / scale[i];
        }
        // Cholesky factor L of the scaled covariance (unit diagonal plus the ridge), row by row
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                double sum = i == k ? 1 : s.cov[i * n + k] / (scale[i] * scale[k]);
                for (int m = 0; m < k; m++) {
                    sum -= l[i * n + m] * l[k * n + m];
                }
                if (i == k) {
                    if (!(sum > 0)) { // only a covariance broken by non-finite values gets here: no model this time
                        noModel(s, expected, distance);
                        return;
                    }
                    l[i * n + i] = Math.sqrt(sum);
                } else {
                    l[i * n + k] = sum / l[k * n + k];
                }
            }
        }
        // Y = L^-1 (lower triangular), so that the scaled precision is Y'Y
        for (int c = 0; c < n; c++) {
            y[c * n + c] = 1 / l[c * n + c];
            for (int i = c + 1; i < n; i++) {
                double sum = 0;
                for (int m = c; m < i; m++) {
                    sum -= l[i * n + m] * y[m * n + c];
                }
                y[i * n + c] = sum / l[i * n + i];
            }
        }
        // For sensor j, z with its own entry left out (so that sensor's own deviation, however large, cannot swamp
        // the others' in a difference): w = Y z, then t = (Y'w)_j is P's row j against the others' deviations.
        // w_i for i < j does not involve z_j (Y is lower triangular): the sum of those squares is shared by all j > i.
        double shared = 0;
        for (int j = 0; j < n; j++) {
            double q = shared;
            double t = 0;
            double pjj = 0;
            for (int i = j; i < n; i++) {
                double wi = 0;
                for (int k = 0; k <= i; k++) {
                    if (k != j) {
                        wi += y[i * n + k] * standardized[k];
                    }
                }
                if (i == j) { // w_j with z_j added back (its last term), for the sensors after j
                    double wj = wi + y[j * n + j] * standardized[j];
                    shared += wj * wj;
                }
                q += wi * wi;
                t += y[i * n + j] * wi;
                pjj += y[i * n + j] * y[i * n + j];
            }
            expected[j] = s.mean[j] - scale[j] * t / pjj;
            distance[j] = Math.max(0, q - t * t / pjj);
        }
    }

    /** Without other sensors to regress on, or without a usable covariance: each sensor is expected at its mean. */
    private static void noModel(ScoringState s, double[] expected, double[] distance) {
        for (int j = 0; j < s.sensors.length; j++) {
            expected[j] = s.mean[j];
            distance[j] = 0;
        }
    }

    private static double range(ScoringState s, int j, double[] min, double[] max) {
        if (!Double.isNaN(min[j]) && !Double.isNaN(max[j])) {
            return max[j] - min[j];
        }
        double seen = s.seenMax[j] - s.seenMin[j];
        return seen > 0 ? seen : Math.abs(s.mean[j]) * 0.01 + 1e-9;
    }

    /**
     * Per sensor j, how fast the other sensors are moving now: the sum over k != j of their change
     * since the previous reading, squared, in units of their usual change. In a transient (a pump
     * ramping down) the linear model lags the physics; this widens the expected residual for it.
     */
    private static double[] motion(ScoringState s, double[] values) {
        int n = s.sensors.length;
        double[] ratio = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            if (!Double.isNaN(values[k]) && !Double.isNaN(s.last[k]) && s.changeVar[k] > 0) {
                double d = values[k] - s.last[k];
                ratio[k] = d * d / s.changeVar[k];
                total += ratio[k];
            }
        }
        double[] motion = new double[n];
        for (int j = 0; j < n; j++) {
            motion[j] = total - ratio[j];
        }
        return motion;
    }

    /**
     * The residual in units that are comparable across operating conditions: divided by how much
     * wider the prediction interval is when the other sensors are far from what the model has seen
     * (extrapolation) or moving fast (transient).
     */
    private double normalised(double residual, double distance, double motion) {
        return Math.abs(residual) / Math.sqrt(1 + settings.extrapolationAllowance() * distance
                + settings.transientAllowance() * motion);
    }

    private SensorResult residual(ScoringState s, int j, double v, double expected, double distance, double motion,
            double range) {
        double r = Math.abs(v - expected);
        double z = normalised(r, distance, motion) / (MEAN_ABS_TO_STDDEV * s.residualScale[j] + 1e-12);
        double share = r / range;
        double zScore = (z - settings.residualZLow()) / (settings.residualZHigh() - settings.residualZLow());
        double shareScore = (share - settings.residualMinFraction())
                / (settings.residualFullFraction() - settings.residualMinFraction());
        double score = clamp01(Math.min(zScore, shareScore));
        return new SensorResult(score, score > 0 ? Detector.RESIDUAL : Detector.NONE, v, expected);
    }

    /**
     * The drift detector: the recent mean of the signed (normalised) residual is unusual, and the
     * residual now is material in the sensor's own units.
     */
    private SensorResult shift(ScoringState s, int j, double v, double expected, double range) {
        double usual = MEAN_ABS_TO_STDDEV * s.residualScale[j] + 1e-12;
        double z = Math.abs(s.shift[j]) / usual;
        double share = Math.signum(v - expected) == Math.signum(s.shift[j]) ? Math.abs(v - expected) / range : 0;
        double score = clamp01(Math.min((z - settings.shiftZLow()) / (settings.shiftZHigh() - settings.shiftZLow()),
                (share - settings.residualMinFraction())
                        / (settings.residualFullFraction() - settings.residualMinFraction())));
        return new SensorResult(score, score > 0 ? Detector.SHIFT : Detector.NONE, v, expected);
    }

    private double stuckScore(ScoringState s, int j) {
        if (s.repeatProbability[j] >= NATURALLY_CONSTANT) {
            return 0;
        }
        double required = stuckRunRequired(s, j);
        int run = s.repeatRun[j];
        if (run < required) {
            return 0;
        }
        return Math.min(1, STUCK_SCORE_AT_DETECTION + (1 - STUCK_SCORE_AT_DETECTION) * (run - required) / required);
    }

    /** Identical readings in a row that make sensor j stuck. */
    private double stuckRunRequired(ScoringState s, int j) {
        double p = s.repeatProbability[j];
        double required = p <= 0 ? settings.stuckMinRun()
                : Math.max(settings.stuckMinRun(), Math.ceil(Math.log(settings.stuckFalseAlarmProbability()) / Math.log(p)));
        // runs of a quantised sensor come in bursts, not independently: a plateau not much longer than the longest
        // seen in normal operation is not a freeze
        return Math.max(required, LONGEST_RUN_FACTOR * s.longestRun[j]);
    }

    private void learn(ScoringState s, long timestamp, double[] values, double[] x, double[] predicted,
            double[] distance, double[] motion, boolean anomalous) {
        int n = s.sensors.length;
        long dt = s.lastTimestamp == Long.MIN_VALUE ? 0 : Math.max(0, timestamp - s.lastTimestamp);
        double w = weight(s, dt, settings.baselineTimeConstantMs());
        double wTrend = weight(s, dt, settings.trendTimeConstantMs());
        double learnShare = anomalous ? ANOMALOUS_LEARNING_SHARE : 1;

        if (s.samples > 1) {
            double wl = w * learnShare;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = x[i] - s.mean[i];
                s.mean[i] += wl * d[i];
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    s.cov[i * n + k] = (1 - wl) * (s.cov[i * n + k] + wl * d[i] * d[k]);
                }
            }
            for (int j = 0; j < n; j++) {
                if (Double.isNaN(predicted[j])) {
                    continue;
                }
                double r = normalised(values[j] - predicted[j], distance[j], motion[j]);
                double usual = MEAN_ABS_TO_STDDEV * s.residualScale[j];
                if (usual > 0 && s.samples > settings.warmupSamples()) {
                    r = Math.min(r, 4 * usual);
                }
                s.residualScale[j] += wl * (r - s.residualScale[j]);
                if (!anomalous && !Double.isNaN(s.last[j])) {
                    double change = values[j] - s.last[j];
                    s.changeVar[j] += w * (change * change - s.changeVar[j]);
                }
                if (!anomalous && s.samples > 1) {
                    double repeat = s.repeatRun[j] > 1 ? 1 : 0;
                    s.repeatProbability[j] += (repeat - s.repeatProbability[j]) / Math.min(s.samples, REPEAT_MEMORY);
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isNaN(values[j]) && !anomalous) {
                s.seenMin[j] = Math.min(s.seenMin[j], values[j]);
                s.seenMax[j] = Math.max(s.seenMax[j], values[j]);
            }
        }
        // the trend learns from every reading: a slow degradation is exactly what it is for
        double t = (timestamp - s.trendOrigin) / 1000.0;
        if (s.samples == 1) {
            s.trendTimeMean = t;
            System.arraycopy(x, 0, s.trendValueMean, 0, n);
        } else {
            double dtm = t - s.trendTimeMean;
            s.trendTimeMean += wTrend * dtm;
            s.trendTimeVar = (1 - wTrend) * (s.trendTimeVar + wTrend * dtm * dtm);
            for (int j = 0; j < n; j++) {
                double dx = x[j] - s.trendValueMean[j];
                s.trendValueMean[j] += wTrend * dx;
                s.trendCov[j] = (1 - wTrend) * (s.trendCov[j] + wTrend * dtm * dx);
                s.trendValueVar[j] = (1 - wTrend) * (s.trendValueVar[j] + wTrend * dx * dx);
            }
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isNaN(values[j])) {
                s.last[j] = values[j];
            }
        }
        s.lastTimestamp = Math.max(s.lastTimestamp, timestamp);
    }

    /**
     * The asset's present is its new normal: the baseline's mean moves to the latest values and the drift detector
     * starts again; the covariance and the usual sizes of residuals stay, as the relations between sensors do.
     */
    public void rebaseline(ScoringState s) {
        for (int j = 0; j < s.sensors.length; j++) {
            if (!Double.isNaN(s.last[j])) {
                s.mean[j] = s.last[j];
            }
            s.shift[j] = 0;
            if (s.surprise != null) {
                Surprise.rebaseline(s.surprise, j);
            }
        }
        s.baselineHeld = false;
    }

    /** Exponential forgetting over {@code tauMs}; a plain running average while the asset warms up. */
    private double weight(ScoringState s, long dtMs, long tauMs) {
        double w = 1 - Math.exp(-(double) dtMs / tauMs);
        return s.samples <= settings.warmupSamples() ? Math.max(w, 1.0 / s.samples) : w;
    }

    /** Trend of sensor j in its unit per hour. */
    public double trendPerHour(ScoringState s, int j) {
        return s.trendTimeVar > 0 ? s.trendCov[j] / s.trendTimeVar * 3600 : 0;
    }

    /**
     * Seconds until the sensor's trend crosses its valid range, or null when there is no range, no
     * clear trend, or the crossing lies beyond the horizon.
     */
    public Double remainingUsefulLifeSeconds(ScoringState s, int j, double min, double max) {
        if (s.samples <= settings.warmupSamples() || s.trendTimeVar <= 0 || s.trendValueVar[j] <= 0) {
            return null;
        }
        double slope = s.trendCov[j] / s.trendTimeVar;
        double fit = s.trendCov[j] * s.trendCov[j] / (s.trendTimeVar * s.trendValueVar[j]);
        if (fit < settings.rulMinFit()) {
            return null;
        }
        double level = s.trendValueMean[j] + slope * ((s.lastTimestamp - s.trendOrigin) / 1000.0 - s.trendTimeMean);
        double rul;
        if (slope > 0 && !Double.isNaN(max)) {
            rul = Math.max(0, (max - level) / slope);
        } else if (slope < 0 && !Double.isNaN(min)) {
            rul = Math.max(0, (level - min) / -slope);
        } else {
            return null;
        }
        return rul * 1000 <= settings.rulHorizonMs() ? rul : null;
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
