package io.twinstream.jobs.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The windowed score of a streaming detector, as the Numenta Anomaly Benchmark defines it (Lavin and Ahmad, 2015,
 * "standard" profile): per series the first 15% of rows (at most 750) are a warm-up and not scored; each labelled
 * window counts once, for its earliest detection, weighted by a sigmoid of how early in the window it came (about 1
 * at its start, 0 at its end); a window without a detection costs 1; each detected row outside every window costs
 * 0.11, less shortly after a window ends. One threshold serves all series; the total is normalised so that detecting
 * nothing scores 0 and detecting every window at its first row 100.
 */
public final class WindowedScore {
    public static final double TRUE_POSITIVE_WEIGHT = 1.0;
    public static final double FALSE_POSITIVE_WEIGHT = 0.11;
    public static final double FALSE_NEGATIVE_WEIGHT = 1.0;
    static final double PROBATION_SHARE = 0.15;
    static final int PROBATION_MAX = 750;

    /** One series: its scores and labels (runs of 1 are the windows). */
    public record Series(double[] scores, int[] labels) {}

    /** The raw total of a set of series at a threshold, with the bounds that normalise it. */
    public record Total(double raw, double nothing, double perfect, int windows, int detected, int falsePositives) {
        public double normalised() {
            return perfect == nothing ? 0 : 100 * (raw - nothing) / (perfect - nothing);
        }

        Total plus(Total o) {
            return new Total(raw + o.raw, nothing + o.nothing, perfect + o.perfect, windows + o.windows,
                    detected + o.detected, falsePositives + o.falsePositives);
        }
    }

    /** The best threshold over all series and the score there. */
    public record Best(double threshold, Total total) {}

    private WindowedScore() {}

    static double scaledSigmoid(double position) {
        return position > 3 ? -1 : 2 / (1 + Math.exp(5 * position)) - 1;
    }

    /** Windows of a series as [start, end] row indexes (inclusive), from its runs of labelled rows. */
    static List<int[]> windows(int[] labels) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1 && (i == 0 || labels[i - 1] == 0)) {
                int j = i;
                while (j + 1 < labels.length && labels[j + 1] == 1) {
                    j++;
                }
                out.add(new int[] {i, j});
            }
        }
        return out;
    }

    public static Total score(Series s, double threshold) {
        int n = s.scores().length;
        int probation = (int) Math.min(Math.floor(PROBATION_SHARE * n), PROBATION_MAX);
        List<int[]> windows = new ArrayList<>();
        for (int[] w : windows(s.labels())) {
            if (w[1] >= probation) {
                windows.add(new int[] {Math.max(w[0], probation), w[1]});
            }
        }
        double raw = 0;
        int detected = 0;
        int falsePositives = 0;
        int next = 0; // the first window not yet passed
        boolean[] hit = new boolean[windows.size()];
        for (int i = probation; i < n; i++) {
            while (next < windows.size() && windows.get(next)[1] < i) {
                next++;
            }
            boolean inside = next < windows.size() && windows.get(next)[0] <= i;
            if (!(s.scores()[i] >= threshold)) {
                continue;
            }
            if (inside) {
                if (!hit[next]) {
                    int[] w = windows.get(next);
                    double width = w[1] - w[0] + 1;
                    hit[next] = true;
                    detected++;
                    raw += TRUE_POSITIVE_WEIGHT * scaledSigmoid(-(w[1] - i + 1) / width);
                }
            } else {
                falsePositives++;
                if (next == 0) {
                    raw -= FALSE_POSITIVE_WEIGHT;
                } else {
                    int[] prev = windows.get(next - 1);
                    double width = Math.max(1, prev[1] - prev[0]);
                    raw += FALSE_POSITIVE_WEIGHT * scaledSigmoid((i - prev[1]) / width);
                }
            }
        }
        raw -= FALSE_NEGATIVE_WEIGHT * (windows.size() - detected);
        double perfect = 0;
        for (int[] w : windows) {
            perfect += TRUE_POSITIVE_WEIGHT * scaledSigmoid(-1);
        }
        return new Total(raw, -FALSE_NEGATIVE_WEIGHT * windows.size(), perfect, windows.size(), detected,
                falsePositives);
    }

    public static Total score(List<Series> all, double threshold) {
        Total t = new Total(0, 0, 0, 0, 0, 0);
        for (Series s : all) {
            t = t.plus(score(s, threshold));
        }
        return t;
    }

    /** The threshold that maximises the total over all series, from a grid dense near 1 (scores are tail probabilities). */
    public static Best best(List<Series> all) {
        Best best = null;
        for (double threshold : thresholds()) {
            Total t = score(all, threshold);
            if (best == null || t.raw() > best.total().raw()) {
                best = new Best(threshold, t);
            }
        }
        return best;
    }

    static List<Double> thresholds() {
        List<Double> out = new ArrayList<>();
        for (double x = 0.05; x < 1; x += 0.05) {
            out.add(x);
        }
        for (double k = 1.4; k <= 9.01; k += 0.1) {
            out.add(1 - Math.pow(10, -k));
        }
        return out;
    }
}
