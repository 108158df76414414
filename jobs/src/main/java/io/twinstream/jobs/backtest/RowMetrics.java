package io.twinstream.jobs.backtest;

/**
 * Per-row classification counts of incidents against labels: a row counts as flagged while an incident is open on
 * it (the benchmark's way for the pump dataset, and the usual one for outlier detection).
 */
public record RowMetrics(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

    public static RowMetrics of(boolean[] flagged, int[] labels) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < flagged.length; i++) {
            boolean label = labels[i] == 1;
            if (flagged[i]) {
                if (label) tp++; else fp++;
            } else {
                if (label) fn++; else tn++;
            }
        }
        return new RowMetrics(tp, fp, fn, tn);
    }

    public RowMetrics plus(RowMetrics o) {
        return new RowMetrics(truePositives + o.truePositives, falsePositives + o.falsePositives,
                falseNegatives + o.falseNegatives, trueNegatives + o.trueNegatives);
    }

    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
        double p = precision(), r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Share of normal rows flagged, in percent. */
    public double falseAlarmRate() {
        return 100 * ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** Share of anomalous rows not flagged, in percent. */
    public double missedAlarmRate() {
        return 100 * ratio(falseNegatives, falseNegatives + truePositives);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
