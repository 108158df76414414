package io.twinstream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * What a twin knows about one sensor.
 *
 * @param lastValue     the value with the newest event time seen so far
 * @param lastTimestamp event time of {@code lastValue}, epoch ms
 * @param count         readings accepted for this sensor
 * @param mean          running mean over all accepted readings
 * @param stddev        running (population) standard deviation
 * @param min           smallest accepted reading
 * @param max           largest accepted reading
 * @param outOfRange    whether {@code lastValue} lies outside the model's valid physical range
 * @param outOfRangeCount how many accepted readings lay outside that range
 */
public record SensorState(
        double lastValue,
        long lastTimestamp,
        long count,
        @JsonSerialize(using = DerivedNumber.class) double mean,
        @JsonSerialize(using = DerivedNumber.class) double stddev,
        double min,
        double max,
        boolean outOfRange,
        long outOfRangeCount) {}
