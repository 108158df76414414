package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Telemetry;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the keyed input of the twin operator carries per input record: a valid reading, a control record about the
 * asset (a registry entry, a desired state, a device's acknowledgement), or a dead letter, and in each case where the
 * record came from, so later stages can still dead-letter it.
 *
 * @param telemetry    the parsed, validated reading; null if rejected or a control record
 * @param rejected     the dead letter; null if valid
 * @param registeredAsset the asset a control record is about; null for a reading
 * @param registration the control record as checked JSON (kept as text so the keyed stream needs no serializer for its
 *                     lists and maps), "" for a tombstone; null for a reading
 * @param control      which control record: {@link Control#REGISTRY}, {@link Control#DESIRED}, {@link Control#ACK} or
 *                     {@link Control#ACTION} (an operator's action on an alert) or {@link Control#REQUEST} (an
 *                     explicit command to send);
 *                     null for a reading or a dead letter
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 */
@TypeInfo(IngestedTypeInfo.Factory.class)
public record Ingested(Telemetry telemetry, DeadLetter rejected, String topic, int partition, long offset,
        String registeredAsset, String registration, Control control) {

    /** The kinds of control record that share the readings' keyed input. */
    public enum Control { REGISTRY, DESIRED, ACK, ACTION, REQUEST }

    public static Ingested valid(Telemetry t, String topic, int partition, long offset) {
        return new Ingested(t, null, topic, partition, offset, null, null, null);
    }

    public static Ingested rejected(DeadLetter d) {
        return new Ingested(null, d, d.sourceTopic(), d.sourcePartition(), d.sourceOffset(), null, null, null);
    }

    /** A registry entry of {@code assetId}; a null entry (a tombstone) removes the asset from the registry. */
    public static Ingested registered(String assetId, String entryJson, String topic, int partition, long offset) {
        return control(Control.REGISTRY, assetId, entryJson, topic, partition, offset);
    }

    /** A control record of {@code assetId} as JSON; null for a tombstone. */
    public static Ingested control(Control kind, String assetId, String json, String topic, int partition,
            long offset) {
        return new Ingested(null, null, topic, partition, offset, assetId, json == null ? "" : json, kind);
    }

    /** Where the record came from, as {@code topic-partition@offset}: the seed of ids derived from it. */
    public String source() {
        return topic + "-" + partition + "@" + offset;
    }

    /** A reading or a registry entry, not a dead letter. */
    public boolean isValid() {
        return telemetry != null || registeredAsset != null;
    }

    public boolean isRegistration() {
        return control == Control.REGISTRY;
    }

    /** A registry entry, desired state or acknowledgement rather than a reading or a dead letter. */
    public boolean isControl() {
        return control != null;
    }

    /** The asset this record is about (the pipeline's key); null for a dead letter. */
    public String assetId() {
        return telemetry != null ? telemetry.assetId() : registeredAsset;
    }
}
