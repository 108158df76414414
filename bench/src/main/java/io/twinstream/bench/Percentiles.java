package io.twinstream.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample. */
record Percentiles(int count, double p50, double p99, double p999, double max) {

    static Percentiles of(long[] values) {
        if (values.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return new Percentiles(v.length, rank(v, 0.50), rank(v, 0.99), rank(v, 0.999), v[v.length - 1]);
    }

    private static double rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
