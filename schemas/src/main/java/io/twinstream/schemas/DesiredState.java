package io.twinstream.schemas;

import java.util.Map;

/**
 * What an operator wants an asset's settable properties to be: one record per asset on the compacted
 * {@code twin.desired} topic, keyed by asset id, the newest holding every property it sets. A property left out is no
 * longer desired (nothing is sent for it); a tombstone clears them all.
 *
 * @param schemaVersion contract version ({@link SchemaVersions#DESIRED_STATE})
 * @param assetId       the asset
 * @param desired       desired value per settable property of the asset's model
 * @param updatedAt     when it was set, epoch ms; the commands it causes are sent at this event time
 * @param requestedBy   who set it (shown on the commands)
 */
public record DesiredState(int schemaVersion, String assetId, Map<String, Double> desired, long updatedAt,
        String requestedBy) {

    public DesiredState {
        desired = desired == null ? Map.of() : Map.copyOf(desired);
    }
}
