package io.twinstream.jobs.snapshot;

import io.twinstream.jobs.twin.TwinState;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.SnapshotReason;
import java.io.Serializable;

/**
 * When a twin writes a snapshot, all in event time: at once when its status changes; on change
 * at most once per {@code minIntervalMs}; at least once per {@code periodicIntervalMs} while the
 * asset is not OFFLINE (an OFFLINE twin's last snapshot already says so, and compaction keeps it).
 */
public record SnapshotSchedule(long minIntervalMs, long periodicIntervalMs) implements Serializable {

    /** Reason to emit after a reading at {@code time} changed the twin, or null to wait for the timer. */
    public SnapshotReason onChange(TwinState s, long time) {
        return s.lastSnapshotTime == Long.MIN_VALUE || time - s.lastSnapshotTime >= minIntervalMs
                ? SnapshotReason.CHANGE : null;
    }

    /** Reason to emit when a timer fires at {@code time} and the status did not change, or null. */
    public SnapshotReason onTimer(TwinState s, long time) {
        if (s.dirty && time - s.lastSnapshotTime >= minIntervalMs) {
            return SnapshotReason.CHANGE;
        }
        if (s.status != AssetStatus.OFFLINE && time - s.lastSnapshotTime >= periodicIntervalMs) {
            return SnapshotReason.PERIODIC;
        }
        return null;
    }

    /** The next event time at which {@link #onTimer} may have something to emit, or Long.MAX_VALUE. */
    public long nextDue(TwinState s) {
        if (s.lastSnapshotTime == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (s.dirty) {
            next = s.lastSnapshotTime + minIntervalMs;
        }
        if (s.status != AssetStatus.OFFLINE) {
            next = Math.min(next, s.lastSnapshotTime + periodicIntervalMs);
        }
        return next;
    }
}
