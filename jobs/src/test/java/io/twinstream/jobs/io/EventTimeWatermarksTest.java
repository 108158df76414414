package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {

    static final class Recorder implements WatermarkOutput {
        final List<Long> emitted = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    @Test
    void advancesWithEventTimeInStepsWithoutWaitingForTheClock() {
        EventTimeWatermarks<String> g = new EventTimeWatermarks<>(5_000, 1_000);
        Recorder out = new Recorder();
        for (long t = 10_000; t <= 20_000; t += 250) {
            g.onEvent("x", t, out);
        }
        g.onEvent("late", 1_000, out); // older events never move it back
        assertThat(out.emitted).first().isEqualTo(10_000L - 5_000 - 1);
        assertThat(out.emitted).isSorted().doesNotHaveDuplicates();
        assertThat(out.emitted).last().isEqualTo(20_000L - 5_000 - 1);
        assertThat(out.emitted).hasSize(11);
        g.onPeriodicEmit(out);
        assertThat(out.emitted).hasSize(11);
    }
}
