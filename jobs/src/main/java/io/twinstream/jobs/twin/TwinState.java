package io.twinstream.jobs.twin;

import io.twinstream.schemas.AssetStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The twin's part of an asset's keyed value ({@link AssetState}, written by {@link AssetStateSerializer}).
 */
public class TwinState {
    public String assetType;
    public String siteId;
    public long lastSeen = Long.MIN_VALUE;
    /**
     * Event time of the first reading applied. Added after the first release: a twin restored from
     * older state has none until its next reading, which then counts as its first.
     */
    public Long firstSeen;
    public long maxSeq = -1;
    /** Highest sequence number applied to the twin (admitted readings wait in event-time order). */
    public long maxAppliedSeq = -1;
    public long[] seenSeqs;
    public long eventsAccepted;
    public long duplicatesDropped;
    public long sequenceResets;
    public AssetStatus status = AssetStatus.ONLINE;
    /** Event time of the last emitted snapshot. */
    public long lastSnapshotTime = Long.MIN_VALUE;
    /** Event time of the twin's latest history record (history.min-interval). */
    public long lastHistoryTime = Long.MIN_VALUE;
    /** The asset's energy, for a model with energy; null otherwise. */
    public io.twinstream.jobs.energy.EnergyMeter energy;
    /** Whether the twin changed since the last snapshot. */
    public boolean dirty;
    public Map<String, SensorStats> sensors = new HashMap<>();
    /** Version of the model the twin's state follows; 0 before its first reading and for an inferred model. */
    public int modelVersion;
    /** The asset's type has no model: its sensors are learned from its readings ({@code models.unknown-type=infer}). */
    public boolean modelInferred;
    /** The asset's registry entry, or null if it is not registered. */
    public io.twinstream.schemas.AssetEntry registry;

    public TwinState() {}
}
