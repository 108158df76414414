package io.twinstream.jobs.anomaly;

import java.util.Arrays;

/**
 * Moves a {@link ScoringState} to another list of sensors when an asset's model changes (sensors added, removed,
 * reordered): every per-sensor number of a sensor that remains goes with it (its calibration, seasonal profile,
 * runs, window panes, covariances with the other remaining sensors); a removed sensor's are dropped; an added
 * sensor starts as in a new state. An added sensor also restarts the asset's warm-up
 * ({@code anomaly.warmup-samples}): the cross-sensor baseline has never seen it, and scoring it against a mean of 0
 * would raise an alarm on the first reading. Without added sensors nothing is re-learned.
 */
public final class SensorRemap {
    private SensorRemap() {}

    /** Whether {@code s} already follows exactly these sensors in this order. */
    public static boolean same(ScoringState s, String[] sensors) {
        return Arrays.equals(s.sensors, sensors);
    }

    public static void remap(ScoringState s, String[] sensors) {
        int n = sensors.length;
        int o = s.sensors.length;
        int[] from = new int[n];
        boolean added = false;
        for (int i = 0; i < n; i++) {
            from[i] = indexOf(s.sensors, sensors[i]);
            added |= from[i] < 0;
        }
        s.last = pick(s.last, from, 1, Double.NaN);
        s.mean = pick(s.mean, from, 1, 0);
        s.residualScale = pick(s.residualScale, from, 1, 0);
        s.shift = pick(s.shift, from, 1, 0);
        s.changeVar = pick(s.changeVar, from, 1, 0);
        s.seenMin = pick(s.seenMin, from, 1, Double.POSITIVE_INFINITY);
        s.seenMax = pick(s.seenMax, from, 1, Double.NEGATIVE_INFINITY);
        s.repeatRun = pick(s.repeatRun, from);
        s.repeatProbability = pick(s.repeatProbability, from, 1, 0);
        s.longestRun = s.longestRun == null ? null : pick(s.longestRun, from);
        s.surprise = s.surprise == null ? null : pick(s.surprise, from, Surprise.STRIDE, 0);
        s.season = s.season == null ? null : pick(s.season, from, Seasonality.STRIDE, 0);
        s.trendValueMean = pick(s.trendValueMean, from, 1, 0);
        s.trendCov = pick(s.trendCov, from, 1, 0);
        s.trendValueVar = pick(s.trendValueVar, from, 1, 0);
        double[] cov = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                if (from[i] >= 0 && from[k] >= 0) {
                    cov[i * n + k] = s.cov[from[i] * o + from[k]];
                }
            }
        }
        s.cov = cov;
        int panes = s.paneEnd.length;
        s.paneScore = panes(s.paneScore, from, panes, o);
        s.paneObserved = panes(s.paneObserved, from, panes, o);
        s.paneExpected = panes(s.paneExpected, from, panes, o);
        s.paneDetector = panes(s.paneDetector, from, panes, o);
        s.paneSamples = panes(s.paneSamples, from, panes, o);
        s.sensors = sensors.clone();
        if (added) {
            s.samples = 0;
            s.trendTimeMean = 0;
            s.trendTimeVar = 0;
            Arrays.fill(s.trendValueMean, 0);
            Arrays.fill(s.trendCov, 0);
            Arrays.fill(s.trendValueVar, 0);
        }
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static double[] pick(double[] a, int[] from, int stride, double fill) {
        double[] out = new double[from.length * stride];
        for (int i = 0; i < from.length; i++) {
            if (from[i] >= 0) {
                System.arraycopy(a, from[i] * stride, out, i * stride, stride);
            } else {
                Arrays.fill(out, i * stride, (i + 1) * stride, fill);
            }
        }
        return out;
    }

    private static int[] pick(int[] a, int[] from) {
        int[] out = new int[from.length];
        for (int i = 0; i < from.length; i++) {
            out[i] = from[i] >= 0 ? a[from[i]] : 0;
        }
        return out;
    }

    private static double[] panes(double[] a, int[] from, int panes, int oldN) {
        int n = from.length;
        double[] out = new double[panes * n];
        for (int p = 0; p < panes; p++) {
            for (int i = 0; i < n; i++) {
                out[p * n + i] = from[i] >= 0 ? a[p * oldN + from[i]] : 0;
            }
        }
        return out;
    }

    private static int[] panes(int[] a, int[] from, int panes, int oldN) {
        int n = from.length;
        int[] out = new int[panes * n];
        for (int p = 0; p < panes; p++) {
            for (int i = 0; i < n; i++) {
                out[p * n + i] = from[i] >= 0 ? a[p * oldN + from[i]] : 0;
            }
        }
        return out;
    }
}
