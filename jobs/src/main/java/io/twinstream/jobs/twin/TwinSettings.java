package io.twinstream.jobs.twin;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.io.Serializable;

/**
 * The twin operator's settings, resolved from {@link PipelineConfig}.
 *
 * @param allowedLatenessMs   a reading older than its asset's newest by more than this is LATE
 * @param staleAfterIntervals silence (in sampling intervals) until STALE
 * @param offlineAfterIntervals silence (in sampling intervals) until OFFLINE
 * @param dedupWindow         sequence numbers remembered per asset
 * @param stateTtlMs          processing-time TTL of a twin that gets no update
 * @param snapshotMinIntervalMs      at most one change snapshot per this much event time
 * @param snapshotPeriodicIntervalMs at least one snapshot per this much event time while not OFFLINE
 * @param inferUnknownTypes   a reading of a type without a model gets a twin with learned sensors (else a dead letter)
 * @param inferredIntervalMs  sampling interval of such a twin
 * @param historyIntervalMs   at most one change or periodic history record per asset per this much event time (0 = all
 *                            snapshots); negative = the twin keeps no history (no history sink)
 * @param energyBucketMs      energy is handed to the roll-ups per bucket of this much event time (their smallest period)
 */
public record TwinSettings(
        long allowedLatenessMs,
        int staleAfterIntervals,
        int offlineAfterIntervals,
        int dedupWindow,
        long stateTtlMs,
        long snapshotMinIntervalMs,
        long snapshotPeriodicIntervalMs,
        boolean inferUnknownTypes,
        long inferredIntervalMs,
        long historyIntervalMs,
        long energyBucketMs) implements Serializable {

    public TwinSettings(long allowedLatenessMs, int staleAfterIntervals, int offlineAfterIntervals, int dedupWindow,
            long stateTtlMs, long snapshotMinIntervalMs, long snapshotPeriodicIntervalMs, boolean inferUnknownTypes,
            long inferredIntervalMs, long historyIntervalMs) {
        this(allowedLatenessMs, staleAfterIntervals, offlineAfterIntervals, dedupWindow, stateTtlMs, snapshotMinIntervalMs,
                snapshotPeriodicIntervalMs, inferUnknownTypes, inferredIntervalMs, historyIntervalMs, 60_000);
    }

    public TwinSettings(long allowedLatenessMs, int staleAfterIntervals, int offlineAfterIntervals, int dedupWindow,
            long stateTtlMs, long snapshotMinIntervalMs, long snapshotPeriodicIntervalMs, boolean inferUnknownTypes,
            long inferredIntervalMs) {
        this(allowedLatenessMs, staleAfterIntervals, offlineAfterIntervals, dedupWindow, stateTtlMs, snapshotMinIntervalMs,
                snapshotPeriodicIntervalMs, inferUnknownTypes, inferredIntervalMs, -1);
    }

    public TwinSettings(long allowedLatenessMs, int staleAfterIntervals, int offlineAfterIntervals, int dedupWindow,
            long stateTtlMs, long snapshotMinIntervalMs, long snapshotPeriodicIntervalMs) {
        this(allowedLatenessMs, staleAfterIntervals, offlineAfterIntervals, dedupWindow, stateTtlMs, snapshotMinIntervalMs,
                snapshotPeriodicIntervalMs, false, 60_000);
    }

    /** The same settings with history kept at most once per {@code intervalMs} (0 = all, negative = none). */
    public TwinSettings withHistory(long intervalMs) {
        return new TwinSettings(allowedLatenessMs, staleAfterIntervals, offlineAfterIntervals, dedupWindow, stateTtlMs,
                snapshotMinIntervalMs, snapshotPeriodicIntervalMs, inferUnknownTypes, inferredIntervalMs, intervalMs,
                energyBucketMs);
    }

    public TwinSettings {
        if (offlineAfterIntervals <= staleAfterIntervals || staleAfterIntervals <= 0) {
            throw new IllegalArgumentException("need 0 < twin.stale-after-intervals < twin.offline-after-intervals");
        }
    }

    public static TwinSettings from(PipelineConfig c) {
        return new TwinSettings(c.millis(Key.ALLOWED_LATENESS), c.integer(Key.STALE_AFTER_INTERVALS),
                c.integer(Key.OFFLINE_AFTER_INTERVALS), c.integer(Key.DEDUP_WINDOW), c.millis(Key.STATE_TTL),
                c.millis(Key.SNAPSHOT_MIN_INTERVAL), c.millis(Key.SNAPSHOT_PERIODIC_INTERVAL),
                unknownTypes(c.get(Key.UNKNOWN_TYPE)), c.millis(Key.INFERRED_INTERVAL), c.millis(Key.HISTORY_INTERVAL),
                io.twinstream.jobs.rollup.RollupSettings.from(c).periodsMs()[0]);
    }

    private static boolean unknownTypes(String value) {
        return switch (value.trim()) {
            case "reject" -> false;
            case "infer" -> true;
            default -> throw new IllegalArgumentException("models.unknown-type must be reject or infer, not '" + value + "'");
        };
    }
}
