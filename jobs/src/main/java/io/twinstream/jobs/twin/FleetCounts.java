package io.twinstream.jobs.twin;

/** One subtask's fleet gauges, kept in operator state so a restart does not reset them. */
public class FleetCounts {
    public int subtask;
    public long online;
    public long stale;
    public long offline;
    public long openAlerts;

    public FleetCounts() {}
}
