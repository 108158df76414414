package io.twinstream.jobs.twin;

/** One subtask's fleet gauges, kept in operator state so a restart does not reset them. */
public class FleetCounts {
    public int subtask;
    public long online;
    public long stale;
    public long offline;
    public long openAlerts;
    /** Added in release 0.2 (critical alerts open); 0 when restored from an older savepoint. */
    public long openCritical;

    public FleetCounts() {}
}
