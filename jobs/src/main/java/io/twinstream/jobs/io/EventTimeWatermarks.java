package io.twinstream.jobs.io;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness that advances with the data, not only with the wall clock: besides the
 * periodic emission it emits as soon as event time has moved {@code stepMs} past the last
 * watermark. A replay that reads an hour of history in a second still sees its watermark move
 * through that hour, so liveness timers and windows fire as they did live. One watermark per step
 * of event time keeps the cost bounded.
 */
public final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long stepMs;
    private long maxTimestamp;
    private long lastEmitted = Long.MIN_VALUE;

    public EventTimeWatermarks(long outOfOrdernessMs, long stepMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.stepMs = stepMs;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            long candidate = current();
            if (lastEmitted == Long.MIN_VALUE || candidate - lastEmitted >= stepMs) {
                emit(candidate, output);
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = current();
        if (candidate > lastEmitted) {
            emit(candidate, output);
        }
    }

    private long current() {
        return maxTimestamp - outOfOrdernessMs - 1;
    }

    private void emit(long watermark, WatermarkOutput output) {
        lastEmitted = watermark;
        output.emitWatermark(new Watermark(watermark));
    }
}
