package io.twinstream.jobs.twin;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event times at which keys want to be woken, at most one per key, fired in time order up to a watermark.
 * Held in memory only: its owner rebuilds it from keyed state after a restore ({@link DigitalTwinOperator}).
 *
 * <p>Entries sit in buckets of {@link #BUCKET_MS} of event time. Moving a key's wake-up leaves its old entry in its
 * bucket; {@link #due} says which entry is current, and a stale one is dropped when its bucket is reached. So a move
 * is two hash-map operations and an append, with no heap to sift. While the watermark stands still, moves pile up
 * stale entries in buckets not yet reached; once they outnumber the current ones by {@link #STALE_SLACK}, the buckets
 * are rebuilt from {@link #due}, which keeps the entries within twice the keys plus the slack at an amortised cost of
 * one entry per move.
 */
final class WakeSchedule<K> {
    /** Wide enough that a fleet's wake-ups fall into a few dozen buckets, narrow enough that sorting one is cheap. */
    static final long BUCKET_MS = 1_000;
    /** Stale entries tolerated beyond the current ones before a rebuild; small fleets never pay for one. */
    static final int STALE_SLACK = 4_096;

    /** What a fired wake-up runs. */
    interface Wake<K> {
        void at(K key, long time) throws Exception;
    }

    private final Map<K, Long> due = new HashMap<>();
    private final TreeMap<Long, Bucket<K>> buckets = new TreeMap<>();
    /** Entries in the buckets, stale ones included. */
    private int entries;

    /** Wakes {@code key} at {@code time}; a key has at most one wake-up, so one it already has must be removed first. */
    void add(K key, long time) {
        Long current = due.putIfAbsent(key, time);
        if (current != null) {
            if (current == time) {
                return;
            }
            throw new IllegalStateException("key " + key + " already wakes at " + current + ", not also at " + time
                    + ": remove that wake-up first (one per key)");
        }
        append(key, time);
        if (entries - due.size() > due.size() + STALE_SLACK) {
            buckets.clear();
            entries = 0;
            due.forEach(this::append);
        }
    }

    private void append(K key, long time) {
        buckets.computeIfAbsent(Math.floorDiv(time, BUCKET_MS), i -> new Bucket<>()).add(key, time);
        entries++;
    }

    /** Cancels the wake-up of {@code key} at {@code time}, if it has that one. */
    void remove(K key, long time) {
        due.remove(key, time);
    }

    /** Keys with a wake-up. */
    int size() {
        return due.size();
    }

    /** Entries held in the buckets, stale ones included. */
    int entries() {
        return entries;
    }

    /**
     * Fires each wake-up at or before {@code watermark} once, in time order, removing it before it runs; wake-ups
     * added while firing are fired too when they are due.
     */
    void fireUpTo(long watermark, Wake<K> wake) throws Exception {
        while (!buckets.isEmpty() && buckets.firstEntry().getValue().earliest <= watermark) {
            Map.Entry<Long, Bucket<K>> first = buckets.pollFirstEntry();
            Bucket<K> bucket = first.getValue();
            entries -= bucket.size;
            long start = first.getKey() * BUCKET_MS;
            for (long packed : bucket.inTimeOrder(start)) {
                int i = (int) packed;
                K key = bucket.keys[i];
                long time = bucket.times[i];
                if (time > watermark) {
                    append(key, time); // back, beside any wake-ups added to this bucket while firing
                } else if (due.remove(key, time)) { // else stale: moved or cancelled since
                    wake.at(key, time);
                }
            }
        }
    }

    /** Keys and times in arrival order, stale entries included. */
    private static final class Bucket<K> {
        K[] keys;
        long[] times = new long[16];
        int size;
        long earliest = Long.MAX_VALUE;

        @SuppressWarnings("unchecked")
        Bucket() {
            keys = (K[]) new Object[16];
        }

        void add(K key, long time) {
            if (size == times.length) {
                keys = Arrays.copyOf(keys, size * 2);
                times = Arrays.copyOf(times, size * 2);
            }
            keys[size] = key;
            times[size] = time;
            size++;
            earliest = Math.min(earliest, time);
        }

        /** Entry indexes (low 32 bits) sorted by time: each packed under its offset from {@code start}. */
        long[] inTimeOrder(long start) {
            long[] order = new long[size];
            for (int i = 0; i < size; i++) {
                order[i] = (times[i] - start) << 32 | i;
            }
            Arrays.sort(order);
            return order;
        }
    }
}
