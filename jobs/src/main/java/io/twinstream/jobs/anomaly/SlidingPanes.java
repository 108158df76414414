package io.twinstream.jobs.anomaly;

import io.twinstream.schemas.Detector;
import java.util.Arrays;

/**
 * Event-time sliding windows kept as panes of one slide each inside {@link ScoringState}: a
 * reading goes into one pane; the window ending at E is the panes ending in (E - size, E]. Each
 * pane keeps, per sensor, its highest score with the reading behind it.
 */
public final class SlidingPanes {
    /** Detectors by ordinal; {@code Detector.values()} copies its array on every call. */
    private static final Detector[] DETECTORS = Detector.values();

    private SlidingPanes() {}

    /** End of the pane holding event time {@code t}: panes are (end - slide, end], their ends at {@code phase} + k·slide. */
    public static long paneEnd(long t, long slide, long phase) {
        return Math.floorDiv(t - phase - 1, slide) * slide + slide + phase;
    }

    /** What {@link #add} did with a reading. */
    public enum Added { NEW_PANE, EXISTING_PANE, TOO_LATE }

    /** Adds one reading's results to its pane, unless every window holding that pane has closed. */
    public static Added add(ScoringState s, long paneEnd, long size, long slide, SensorResult[] results) {
        if (s.lastFiredWindowEnd != Long.MIN_VALUE && paneEnd + size - slide <= s.lastFiredWindowEnd) {
            return Added.TOO_LATE;
        }
        boolean existed = false;
        for (long e : s.paneEnd) {
            existed |= e == paneEnd;
        }
        int p = slot(s, paneEnd);
        if (p < 0) {
            return Added.TOO_LATE;
        }
        int n = s.sensors.length;
        for (int j = 0; j < n; j++) {
            SensorResult r = results[j];
            if (r == null) {
                continue;
            }
            int k = p * n + j;
            s.paneSamples[k]++;
            if (s.paneSamples[k] == 1 || r.score() > s.paneScore[k]) {
                s.paneScore[k] = r.score();
                s.paneDetector[k] = r.detector().ordinal();
                s.paneObserved[k] = r.observed();
                s.paneExpected[k] = r.expected();
            }
        }
        return existed ? Added.EXISTING_PANE : Added.NEW_PANE;
    }

    /**
     * Closes, in order, every window ending after the last closed one and at or before {@code limit}
     * that holds any reading, handing each to {@code emit}; then drops the panes no open window needs.
     */
    public static void closeUpTo(ScoringState s, long limit, long size, long slide, long phase,
            java.util.function.BiConsumer<Long, WindowResult> emit) {
        long closed = Math.floorDiv(limit - phase, slide) * slide + phase;
        if (s.lastFiredWindowEnd != Long.MIN_VALUE && closed <= s.lastFiredWindowEnd) {
            return;
        }
        java.util.TreeSet<Long> ends = new java.util.TreeSet<>();
        for (long e : s.paneEnd) {
            if (e == Long.MIN_VALUE) {
                continue;
            }
            for (long end = e; end < e + size; end += slide) {
                if ((s.lastFiredWindowEnd == Long.MIN_VALUE || end > s.lastFiredWindowEnd) && end <= closed) {
                    ends.add(end);
                }
            }
        }
        for (long end : ends) {
            WindowResult w = window(s, end, size);
            if (!w.isEmpty()) {
                emit.accept(end, w);
            }
        }
        s.lastFiredWindowEnd = closed;
        evict(s, closed, size, slide);
    }

    private static int slot(ScoringState s, long paneEnd) {
        int free = -1;
        int oldest = -1;
        for (int p = 0; p < s.paneEnd.length; p++) {
            if (s.paneEnd[p] == paneEnd) {
                return p;
            }
            if (s.paneEnd[p] == Long.MIN_VALUE) {
                free = p;
            } else if (oldest < 0 || s.paneEnd[p] < s.paneEnd[oldest]) {
                oldest = p;
            }
        }
        if (free < 0) {
            if (s.paneEnd[oldest] > paneEnd) {
                return -1;
            }
            free = oldest; // only when the asset jumps far ahead: its oldest window closes incomplete
        }
        clear(s, free);
        s.paneEnd[free] = paneEnd;
        return free;
    }

    private static void clear(ScoringState s, int p) {
        int n = s.sensors.length;
        s.paneEnd[p] = Long.MIN_VALUE;
        Arrays.fill(s.paneSamples, p * n, p * n + n, 0);
        Arrays.fill(s.paneScore, p * n, p * n + n, 0);
    }

    /** Drops panes that the window ending one slide after {@code windowEnd}, and all later ones, do not need. */
    public static void evict(ScoringState s, long windowEnd, long size, long slide) {
        for (int p = 0; p < s.paneEnd.length; p++) {
            if (s.paneEnd[p] != Long.MIN_VALUE && s.paneEnd[p] <= windowEnd + slide - size) {
                clear(s, p);
            }
        }
    }

    /** Per sensor, the pane result with the highest score among panes ending in (end - size, end]. */
    public static WindowResult window(ScoringState s, long end, long size) {
        int n = s.sensors.length;
        WindowResult w = new WindowResult(n);
        for (int p = 0; p < s.paneEnd.length; p++) {
            long e = s.paneEnd[p];
            if (e == Long.MIN_VALUE || e <= end - size || e > end) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                int k = p * n + j;
                int samples = s.paneSamples[k];
                if (samples == 0) {
                    continue;
                }
                if (w.samples[j] == 0 || s.paneScore[k] > w.score[j]) {
                    w.score[j] = s.paneScore[k];
                    w.detector[j] = DETECTORS[s.paneDetector[k]];
                    w.observed[j] = s.paneObserved[k];
                    w.expected[j] = s.paneExpected[k];
                }
                w.samples[j] += samples;
            }
        }
        return w;
    }

    /** A window's per-sensor results. */
    public static final class WindowResult {
        public final double[] score;
        public final Detector[] detector;
        public final double[] observed;
        public final double[] expected;
        public final int[] samples;

        WindowResult(int n) {
            score = new double[n];
            detector = new Detector[n];
            Arrays.fill(detector, Detector.NONE);
            observed = new double[n];
            expected = new double[n];
            samples = new int[n];
        }

        public boolean isEmpty() {
            return Arrays.stream(samples).allMatch(c -> c == 0);
        }
    }
}
