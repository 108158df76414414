package io.twinstream.schemas;

import java.util.List;

/**
 * The registry's description of an asset as snapshots and alerts carry it ({@link AssetEntry} less the fields the
 * records have already: id, type, site).
 */
public record AssetInfo(String displayName, String parentId, Double latitude, Double longitude, List<String> tags,
        String commissionedOn) implements java.io.Serializable {

    public AssetInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
