package io.twinstream.schemas;

import java.util.Map;

/**
 * One reading of one asset: the record on the raw telemetry topic, keyed by {@code assetId}.
 *
 * @param schemaVersion contract version of this record (see {@link SchemaVersions#TELEMETRY})
 * @param eventId       unique id of this reading (the generator uses {@code assetId:seq})
 * @param assetId       unique id of the physical asset; the Kafka key and the twin key
 * @param assetType     one of the types in {@link AssetModels}
 * @param siteId        the site the asset belongs to
 * @param timestamp     event time, epoch milliseconds UTC
 * @param seq           per-asset sequence number, increasing by one per reading
 * @param readings      sensor name to value, in the unit the asset model declares
 */
public record Telemetry(
        int schemaVersion,
        String eventId,
        String assetId,
        String assetType,
        String siteId,
        long timestamp,
        long seq,
        Map<String, Double> readings) {}
