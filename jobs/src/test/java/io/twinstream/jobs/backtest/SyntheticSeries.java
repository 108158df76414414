package io.twinstream.jobs.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/** Generated series shaped like real telemetry, as {@link CsvTable}s: seasonal, counts, steps, noise. */
final class SyntheticSeries {
    static final long T0 = 1_709_510_400_000L; // 2024-03-04, a Monday
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private SyntheticSeries() {}

    static CsvTable table(int rows, long stepMs, IntToDoubleFunction value) {
        return table(rows, stepMs, List.of("value"), (i, j) -> value.applyAsDouble(i));
    }

    /** One asset with several sensors: {@code value.at(row, sensor)}, columns s0, s1, ... */
    static CsvTable multivariate(int rows, long stepMs, int sensors, RowSensorValue value) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < sensors; j++) {
            names.add("s" + j);
        }
        return table(rows, stepMs, names, value);
    }

    private static CsvTable table(int rows, long stepMs, List<String> names, RowSensorValue value) {
        List<String> lines = new ArrayList<>();
        long[] times = new long[rows];
        double[][] values = new double[rows][names.size()];
        for (int i = 0; i < rows; i++) {
            times[i] = T0 + i * stepMs;
            StringBuilder line = new StringBuilder(java.time.Instant.ofEpochMilli(times[i]).toString());
            for (int j = 0; j < names.size(); j++) {
                values[i][j] = value.at(i, j);
                line.append(',').append(values[i][j]);
            }
            lines.add(line.toString());
        }
        return new CsvTable("timestamp," + String.join(",", names), ",", names, lines, times, values, null);
    }

    interface RowSensorValue {
        double at(int row, int sensor);
    }

    static double hourOfDay(long t) {
        return (double) Math.floorMod(t, DAY) / HOUR;
    }

    /** A clean daily sine, sampled every 5 minutes for 14 days. */
    static CsvTable dailySine(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return table(14 * 288, 5 * MINUTE, i -> 50 + 10 * Math.sin(2 * Math.PI * hourOfDay(T0 + i * 5 * MINUTE) / 24)
                + 0.05 * r.nextGaussian());
    }

    /** Hourly, ten weeks: busy weekdays with a daily shape, quiet weekends, noise. */
    static CsvTable noisyWeekly(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return table(10 * 168, HOUR, i -> {
            long t = T0 + i * HOUR;
            boolean weekday = Math.floorMod(Math.floorDiv(t, DAY), 7) < 5; // epoch day 0 was a Thursday; close enough
            double load = weekday ? 30 * Math.max(0, Math.sin(2 * Math.PI * (hourOfDay(t) - 6) / 24)) : 3;
            return 100 + load + 4 * r.nextGaussian();
        });
    }

    /** Counts (Poisson) with a daily rhythm, every 5 minutes for 10 days: small integers, often repeating. */
    static CsvTable counts(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return table(10 * 288, 5 * MINUTE, i -> poisson(r,
                4 + 3 * Math.sin(2 * Math.PI * hourOfDay(T0 + i * 5 * MINUTE) / 24)));
    }

    /** Flat, exactly repeating, with a few rare steps, every 5 minutes for 10 days. */
    static CsvTable flatWithRareSteps(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] level = {20};
        return table(10 * 288, 5 * MINUTE, i -> {
            if (i > 500 && r.nextDouble() < 0.002) {
                level[0] += (r.nextBoolean() ? 1 : -1) * (1 + 2 * r.nextDouble());
            }
            return level[0];
        });
    }

    static int poisson(SplittableRandom r, double lambda) {
        double l = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
