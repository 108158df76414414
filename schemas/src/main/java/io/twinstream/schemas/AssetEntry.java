package io.twinstream.schemas;

import java.util.List;

/**
 * One asset in the registry: the compacted {@code twin.assets} topic, key = assetId, format
 * {@code twinstream/schemas/asset-entry.v1.schema.json}, read and checked by {@link AssetEntries}.
 * A registered asset's type and site come from here, not from its readings.
 *
 * @param schemaVersion  contract version (1 if absent)
 * @param assetId        the asset (the twin's key)
 * @param assetType      its model
 * @param siteId         its site, or null to keep the site its readings carry
 * @param displayName    a name for people
 * @param latitude       WGS84 latitude, or null
 * @param longitude      WGS84 longitude, or null
 * @param parentId       its parent in the site's hierarchy (site, line, cell), or null
 * @param tags           free tags
 * @param commissionedOn ISO date it went into service, or null
 */
public record AssetEntry(Integer schemaVersion, String assetId, String assetType, String siteId, String displayName,
        Double latitude, Double longitude, String parentId, List<String> tags, String commissionedOn)
        implements java.io.Serializable {

    public AssetEntry {
        schemaVersion = schemaVersion == null ? SchemaVersions.ASSET_ENTRY : schemaVersion;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** What snapshots and alerts carry of the entry. */
    public AssetInfo info() {
        return new AssetInfo(displayName, parentId, latitude, longitude, tags, commissionedOn);
    }
}
