package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuStealTest {

    @Test
    void readsTheStealFieldOfTheAggregateCpuLineInSeconds() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(CpuSteal.ofCpuLine("cpu  4705 150 1120 16250 520 0 30 1234 0 0")).isEqualTo(12.34);
        assertThat(CpuSteal.ofCpuLine("cpu  4705 150 1120 16250")).isNaN();
    }

    @Test
    void onLinuxTheCounterIsReadAndNeverRunsBackwards() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat")),
                "no /proc/stat: not Linux, the steal counter is not available (NaN by design)");
        double first = CpuSteal.seconds();
        assertThat(first).as("read from /proc/stat").isNotNaN().isGreaterThanOrEqualTo(0);
        assertThat(CpuSteal.seconds()).isGreaterThanOrEqualTo(first);
    }
}
