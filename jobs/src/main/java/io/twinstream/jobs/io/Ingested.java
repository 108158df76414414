package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Telemetry;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the keyed input of the twin operator carries per input record: a valid reading, a registry entry of the
 * asset, or a dead letter, and in each case where the record came from, so later stages can still dead-letter it.
 *
 * @param telemetry    the parsed, validated reading; null if rejected or a registry entry
 * @param rejected     the dead letter; null if valid
 * @param registeredAsset the asset of a registry entry; null for a reading
 * @param registration a registry entry ({@code AssetEntry} as checked JSON; kept as text so the keyed stream needs no
 *                     serializer for its lists), "" for an entry removed (a tombstone); null for a reading
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 */
@TypeInfo(IngestedTypeInfo.Factory.class)
public record Ingested(Telemetry telemetry, DeadLetter rejected, String topic, int partition, long offset,
        String registeredAsset, String registration) {

    public static Ingested valid(Telemetry t, String topic, int partition, long offset) {
        return new Ingested(t, null, topic, partition, offset, null, null);
    }

    public static Ingested rejected(DeadLetter d) {
        return new Ingested(null, d, d.sourceTopic(), d.sourcePartition(), d.sourceOffset(), null, null);
    }

    /** A registry entry of {@code assetId}; a null entry (a tombstone) removes the asset from the registry. */
    public static Ingested registered(String assetId, String entryJson, String topic, int partition, long offset) {
        return new Ingested(null, null, topic, partition, offset, assetId, entryJson == null ? "" : entryJson);
    }

    /** A reading or a registry entry, not a dead letter. */
    public boolean isValid() {
        return telemetry != null || registeredAsset != null;
    }

    public boolean isRegistration() {
        return registeredAsset != null;
    }

    /** The asset this record is about (the pipeline's key); null for a dead letter. */
    public String assetId() {
        return telemetry != null ? telemetry.assetId() : registeredAsset;
    }
}
