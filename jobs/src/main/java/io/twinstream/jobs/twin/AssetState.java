package io.twinstream.jobs.twin;

import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.schemas.Telemetry;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the pipeline keeps for one asset, in one keyed value: one read and one write per
 * reading, also on RocksDB. Written by {@link AssetStateSerializer}: a field added here or in the
 * classes it holds must be added there too, with a new layout version.
 */
public class AssetState {
    public TwinState twin;
    /** Null until the first reading is applied. */
    public ScoringState scoring;
    public AssetAlerts alerts;
    /** Desired and reported values of settable properties and the commands sent; null until the asset has any. */
    public io.twinstream.jobs.command.DeviceControl control;
    /** Operators' annotations of the asset's open alerts and its silence; null until it has an alert or an action. */
    public io.twinstream.jobs.alert.AlertNotes notes;
    /** Admitted readings waiting for event time to reach them, ordered by (timestamp, seq). */
    public List<Telemetry> pending = new ArrayList<>();
    /** Event times of dropped duplicates not yet counted, ascending: counted when event time reaches them. */
    public List<Long> pendingDuplicates = new ArrayList<>();
    /** Newest event time that arrived for this asset. */
    public long newest = Long.MIN_VALUE;
    /** Event time up to which readings, wake-ups and window closings have been processed. */
    public long released = Long.MIN_VALUE;
    /** The event-time timer registered at the agenda's next item and not yet fired; Long.MAX_VALUE if none. */
    public long timer = Long.MAX_VALUE;

    public AssetState() {}
}
