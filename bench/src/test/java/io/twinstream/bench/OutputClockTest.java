package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputClockTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheTopLevelTimeFieldPastNestedObjectsAndArrays() {
        byte[] snapshot = json("{\"assetId\":\"wt-00001\",\"currentValues\":{\"snapshotTime\":1,\"rpm\":12.5},"
                + "\"alerts\":[{\"updatedAt\":2}],\"snapshotTime\":1763884800123,\"status\":\"ONLINE\"}");
        assertThat(Benchmark.OutputClock.timeOf(snapshot, "snapshotTime")).isEqualTo(1_763_884_800_123L);
        assertThat(Benchmark.OutputClock.timeOf(json("{\"updatedAt\":42}"), "updatedAt")).isEqualTo(42L);
    }

    @Test
    void aRecordWithoutTheFieldIsAnError() {
        assertThatThrownBy(() -> Benchmark.OutputClock.timeOf(json("{\"other\":{\"updatedAt\":1}}"), "updatedAt"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("updatedAt");
    }
}
