package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void theMiddleOfAnOddCountAndTheMeanOfTheTwoMiddlesOfAnEvenOne() {
        assertThat(Benchmark.median(List.of(90.0, 120.0, 100.0))).isEqualTo(100.0);
        assertThat(Benchmark.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Benchmark.median(List.of(7.0))).isEqualTo(7.0);
    }
}
