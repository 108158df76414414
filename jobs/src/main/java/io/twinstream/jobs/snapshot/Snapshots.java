package io.twinstream.jobs.snapshot;

import io.twinstream.jobs.twin.SensorStats;
import io.twinstream.jobs.twin.TwinState;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SensorState;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.TwinSnapshot;
import java.util.Map;
import java.util.TreeMap;

/** Turns the operator's mutable twin state into the immutable snapshot record. */
public final class Snapshots {
    private Snapshots() {}

    public static TwinSnapshot of(String assetId, TwinState s, long time, SnapshotReason reason) {
        Map<String, SensorState> sensors = new TreeMap<>();
        int outOfRange = 0;
        for (Map.Entry<String, SensorStats> e : s.sensors.entrySet()) {
            SensorState st = e.getValue().toRecord();
            sensors.put(e.getKey(), st);
            if (st.outOfRange()) {
                outOfRange++;
            }
        }
        return new TwinSnapshot(SchemaVersions.SNAPSHOT, assetId, s.assetType, s.siteId, s.status, s.firstSeen, s.lastSeen,
                s.maxAppliedSeq, s.eventsAccepted, s.duplicatesDropped, outOfRange, sensors, time, reason, null, null, null,
                s.modelInferred || s.modelVersion == 0 ? null : s.modelVersion, s.modelInferred ? Boolean.TRUE : null,
                s.registry == null ? null : s.registry.info());
    }
}
