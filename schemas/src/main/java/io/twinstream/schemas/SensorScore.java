package io.twinstream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One sensor's anomaly score over one window, with its explanation.
 *
 * @param score       in [0, 1]; the highest sample score in the window
 * @param detector    the detector behind that score
 * @param observed    the value that scored highest
 * @param expected    what the baseline expected at that moment
 * @param samples     readings of this sensor in the window
 * @param trendPerHour   recent trend of the sensor's level, in its unit per hour
 * @param rulSeconds  estimated seconds until the trend crosses the valid range, or null if no crossing is expected within the horizon
 */
public record SensorScore(
        @JsonSerialize(using = DerivedNumber.class) double score,
        Detector detector,
        @JsonSerialize(using = DerivedNumber.class) double observed,
        @JsonSerialize(using = DerivedNumber.class) double expected,
        int samples,
        @JsonSerialize(using = DerivedNumber.class) double trendPerHour,
        @JsonSerialize(using = DerivedNumber.class) Double rulSeconds) {}
