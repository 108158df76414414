package io.twinstream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/**
 * The anomaly score of one asset over one event-time window; on the scores topic keyed by assetId.
 *
 * @param schemaVersion contract version (see {@link SchemaVersions#SCORE})
 * @param assetId       the asset
 * @param assetType     its type
 * @param siteId        its site
 * @param windowStart   window start, event time epoch ms (inclusive)
 * @param windowEnd     window end, event time epoch ms (exclusive)
 * @param score         asset score in [0, 1]: the strongest sensor's
 * @param sensor        the sensor behind {@code score}
 * @param detector      the detector behind {@code score}
 * @param observed      the value behind {@code score}
 * @param expected      what the baseline expected instead
 * @param sensors       per-sensor scores and predictive-maintenance signals
 */
public record AnomalyScore(
        int schemaVersion,
        String assetId,
        String assetType,
        String siteId,
        long windowStart,
        long windowEnd,
        @JsonSerialize(using = DerivedNumber.class) double score,
        String sensor,
        Detector detector,
        @JsonSerialize(using = DerivedNumber.class) double observed,
        @JsonSerialize(using = DerivedNumber.class) double expected,
        Map<String, SensorScore> sensors) {}
