package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void theMiddleOfAnOddCountAndTheMeanOfTheTwoMiddlesOfAnEvenOne() {
        assertThat(Benchmark.median(List.of(90.0, 120.0, 100.0))).isEqualTo(100.0);
        assertThat(Benchmark.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Benchmark.median(List.of(7.0))).isEqualTo(7.0);
    }

    @Test
    void aFleetSizeIsReportedByItsMedianRunAndTheOtherFiguresComeFromTheRunNearestIt() {
        Results.Scale s = Benchmark.scaleOf(1_000_000, "rocksdb", 1_500_000,
                List.of(run(24_000, 100), run(31_000, 200), run(20_000, 300)));
        assertThat(s.eventsPerSecond()).isEqualTo(24_000);
        assertThat(s.runs()).containsExactly(24_000.0, 31_000.0, 20_000.0);
        assertThat(s.checkpointMillis()).isEqualTo(100);
        assertThat(s.cpuMicrosPerEvent()).containsEntry(ThreadCpu.KEYED_OPERATOR, 100.0);

        // an even count: the mean of the middle two, figures from the nearer of them
        Results.Scale even = Benchmark.scaleOf(1_000, "hashmap", 1_500_000,
                List.of(run(40_000, 1), run(50_000, 2), run(61_000, 3), run(10_000, 4)));
        assertThat(even.eventsPerSecond()).isEqualTo(45_000);
        assertThat(even.checkpointMillis()).isIn(1L, 2L);
    }

    private static Benchmark.Measured run(double eventsPerSecond, long checkpointMillis) {
        return new Benchmark.Measured(eventsPerSecond, 3, 1024, 4096, checkpointMillis, 1L << 20, 1L << 21, 200, 0,
                Map.of(ThreadCpu.KEYED_OPERATOR, (double) checkpointMillis));
    }
}
