package io.twinstream.jobs.io;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the control topics (models, registry): none, and the stream marked idle from the start, so it
 * never holds back the telemetry's event time where it joins it. An idle stream still delivers its records; only a
 * watermark would make it active again ({@code WatermarkOutput}), and this one emits none. A strategy that emitted
 * Long.MAX_VALUE instead would move event time to its end whenever the telemetry partitions went idle.
 */
public final class ControlWatermarks<T> implements WatermarkGenerator<T> {

    public static <T> WatermarkStrategy<T> strategy() {
        return WatermarkStrategy.<T>forGenerator(ctx -> new ControlWatermarks<>())
                .withTimestampAssigner((record, kafkaTs) -> Long.MIN_VALUE);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
    }
}
