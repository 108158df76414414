package io.twinstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/**
 * The state of one digital twin, written to the compacted snapshot topic keyed by {@code assetId}:
 * the newest record per key is the twin's current state.
 *
 * @param schemaVersion     contract version (see {@link SchemaVersions#SNAPSHOT})
 * @param assetId           the twin's asset
 * @param assetType         asset type from the model registry
 * @param siteId            site of the asset
 * @param status            liveness: ONLINE, STALE or OFFLINE
 * @param firstSeen         event time of the first accepted reading, epoch ms (null if not known)
 * @param lastSeen          event time of the newest accepted reading, epoch ms
 * @param lastSeq           highest sequence number accepted
 * @param eventsAccepted    readings that changed the twin
 * @param duplicatesDropped readings dropped as duplicates of one already accepted
 * @param outOfRangeSensors sensors whose last value lies outside the valid physical range
 * @param sensors           per-sensor state
 * @param snapshotTime      event time (the operator's watermark or the triggering reading) of this snapshot
 * @param reason            why this snapshot was emitted
 * @param health            1 - the asset's latest window anomaly score; null before its first score
 * @param openAlerts        alerts open for this asset; null before the alerting stage has seen it
 * @param maintenance       latest per-sensor score, trend and remaining useful life; null before the first score
 * @param modelVersion      version of the asset model the twin follows; null where the model was inferred
 * @param modelInferred     true when the asset's type has no model and its sensors were learned from its readings
 *                          ({@code models.unknown-type=infer}); null otherwise
 * @param registry          the asset's registry entry (display name, parent, location, tags); null if unregistered
 * @param properties        per settable property of its model, desired and reported side by side; absent (null) for a
 *                          model without settable properties
 * @param commands          commands pending, and those that ended since the previous snapshot; absent (null) when none
 * @param silence           the asset's alert silence while it lasts (who, until when, why); absent (null) otherwise
 * @param energy            energy produced and consumed this hour and day, the previous ones, in all, with the model's
 *                          figures of merit; absent (null) for a model without energy
 */
public record TwinSnapshot(
        int schemaVersion,
        String assetId,
        String assetType,
        String siteId,
        AssetStatus status,
        Long firstSeen,
        long lastSeen,
        long lastSeq,
        long eventsAccepted,
        long duplicatesDropped,
        int outOfRangeSensors,
        Map<String, SensorState> sensors,
        long snapshotTime,
        SnapshotReason reason,
        @JsonSerialize(using = DerivedNumber.class) Double health,
        Integer openAlerts,
        Map<String, SensorScore> maintenance,
        Integer modelVersion,
        Boolean modelInferred,
        AssetInfo registry,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, PropertyState> properties,
        @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<CommandStatus> commands,
        @JsonInclude(JsonInclude.Include.NON_NULL) Silence silence,
        @JsonInclude(JsonInclude.Include.NON_NULL) EnergyView energy) {

    /** A snapshot without energy. */
    public TwinSnapshot(int schemaVersion, String assetId, String assetType, String siteId, AssetStatus status,
            Long firstSeen, long lastSeen, long lastSeq, long eventsAccepted, long duplicatesDropped,
            int outOfRangeSensors, Map<String, SensorState> sensors, long snapshotTime, SnapshotReason reason,
            Double health, Integer openAlerts, Map<String, SensorScore> maintenance, Integer modelVersion,
            Boolean modelInferred, AssetInfo registry, Map<String, PropertyState> properties,
            java.util.List<CommandStatus> commands, Silence silence) {
        this(schemaVersion, assetId, assetType, siteId, status, firstSeen, lastSeen, lastSeq, eventsAccepted,
                duplicatesDropped, outOfRangeSensors, sensors, snapshotTime, reason, health, openAlerts, maintenance,
                modelVersion, modelInferred, registry, properties, commands, silence, null);
    }

    /**
     * An asset's alert silence ({@code bin/twinstream alerts silence}): scoring goes on, no new alert is raised.
     *
     * @param until event time it ends, epoch ms
     * @param by    who silenced it
     * @param note  why (a maintenance window, say)
     */
    public record Silence(long until, String by, String note) {}

    /** A snapshot without settable properties or commands. */
    public TwinSnapshot(int schemaVersion, String assetId, String assetType, String siteId, AssetStatus status,
            Long firstSeen, long lastSeen, long lastSeq, long eventsAccepted, long duplicatesDropped,
            int outOfRangeSensors, Map<String, SensorState> sensors, long snapshotTime, SnapshotReason reason,
            Double health, Integer openAlerts, Map<String, SensorScore> maintenance, Integer modelVersion,
            Boolean modelInferred, AssetInfo registry) {
        this(schemaVersion, assetId, assetType, siteId, status, firstSeen, lastSeen, lastSeq, eventsAccepted,
                duplicatesDropped, outOfRangeSensors, sensors, snapshotTime, reason, health, openAlerts, maintenance,
                modelVersion, modelInferred, registry, null, null, null);
    }

    /** The same snapshot with the alerting stage's health view attached. */
    public TwinSnapshot withHealth(Double health, Integer openAlerts, Map<String, SensorScore> maintenance) {
        return new TwinSnapshot(schemaVersion, assetId, assetType, siteId, status, firstSeen, lastSeen, lastSeq, eventsAccepted,
                duplicatesDropped, outOfRangeSensors, sensors, snapshotTime, reason, health, openAlerts, maintenance,
                modelVersion, modelInferred, registry, properties, commands, silence, energy);
    }

    /** The same snapshot with the asset's energy. */
    public TwinSnapshot withEnergy(EnergyView energy) {
        return new TwinSnapshot(schemaVersion, assetId, assetType, siteId, status, firstSeen, lastSeen, lastSeq, eventsAccepted,
                duplicatesDropped, outOfRangeSensors, sensors, snapshotTime, reason, health, openAlerts, maintenance,
                modelVersion, modelInferred, registry, properties, commands, silence, energy);
    }

    /** The same snapshot with the asset's settable properties, commands and silence attached. */
    public TwinSnapshot withControl(Integer openAlerts, Map<String, PropertyState> properties,
            java.util.List<CommandStatus> commands, Silence silence) {
        return new TwinSnapshot(schemaVersion, assetId, assetType, siteId, status, firstSeen, lastSeen, lastSeq, eventsAccepted,
                duplicatesDropped, outOfRangeSensors, sensors, snapshotTime, reason, health, openAlerts, maintenance,
                modelVersion, modelInferred, registry, properties, commands, silence, energy);
    }
}
