package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void throughputShowsEachThreadGroupsMedianCpuPerEvent() {
        Results.Throughput t = new Results.Throughput(1_500_000, 1_000, 200_000, 100_000, 0.5, List.of(190_000.0, 200_000.0, 210_000.0),
                List.of(90_000.0, 100_000.0, 110_000.0), 123, 234, List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 0.0),
                List.of(cpu(2.8, 2.7), cpu(3.0, 2.6), cpu(2.9, 2.9)), List.of(cpu(7.7, 3.1), cpu(8.2, 3.2), cpu(7.9, 3.0)));
        String table = Report.table(new Results("2026-12-02T12:00:00Z", Map.of("cores", 2), Map.of(), t, null, List.of(), List.of()));
        assertThat(table).containsPattern("keyed operator +2\\.90 +7\\.90");
        assertThat(table).containsPattern("sources +2\\.70 +3\\.10");
        // the median run's total, not the sum of the groups' medians (11.00)
        assertThat(table).containsPattern("total +5\\.60 +10\\.90");
    }

    @Test
    void anOlderResultsFileWithoutCpuStillRenders() {
        Results.Throughput t = new Results.Throughput(10, 1, 2, 1, 0.5, List.of(2.0), List.of(1.0), 1, 1, List.of(0.0),
                List.of(0.0), null, null);
        assertThat(Report.table(new Results("x", Map.of("cores", 2), Map.of(), t, null, List.of(), List.of())))
                .contains("pipeline / pass-through").doesNotContain("CPU per event");
    }

    @Test
    void scaleComparesMediansWithTheSmallestFleetAndListsEachRound() {
        List<Results.Scale> scale = List.of(
                new Results.Scale(1_000, "rocksdb", 1_500_000, 40_000, 3, 1, 1, 1, 1, 1, 0, Map.of(),
                        List.of(38_000.0, 40_000.0, 52_000.0), null),
                new Results.Scale(1_000_000, "rocksdb", 1_500_000, 28_000, 3, 1, 1, 1, 1, 1, 0, Map.of(),
                        List.of(28_000.0, 21_000.0, 29_000.0), null));
        String table = Report.table(new Results("x", Map.of("cores", 2), Map.of("events", "1500000", "scaleRepeats", "3"),
                null, null, List.of(), scale));
        assertThat(table).containsPattern("1,000,000 rocksdb +28,000 +0\\.70");
        assertThat(table).contains("medians of 3 rounds").containsPattern("1,000,000 rocksdb +28,000 / 21,000 / 29,000");
    }

    @Test
    void anOlderResultsFileWithOneRunPerFleetSizeStillRenders() {
        List<Results.Scale> scale = List.of(new Results.Scale(1_000, "rocksdb", 1_500_000, 40_000, 3, 1, 1, 1, 1, 1, 0,
                Map.of(), null, null));
        assertThat(Report.table(new Results("x", Map.of("cores", 2), Map.of("events", "1500000"), null, null, List.of(), scale)))
                .containsPattern("1,000 rocksdb +40,000 +1\\.00").doesNotContain("rounds");
    }

    private static Map<String, Double> cpu(double operator, double sources) {
        Map<String, Double> m = new LinkedHashMap<>();
        ThreadCpu.GROUPS.forEach(g -> m.put(g, 0.0));
        m.put(ThreadCpu.KEYED_OPERATOR, operator);
        m.put(ThreadCpu.SOURCES, sources);
        return m;
    }
}
