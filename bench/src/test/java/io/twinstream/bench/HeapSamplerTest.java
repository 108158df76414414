package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapSamplerTest {

    @Test
    void reportsTheHeapInUseAfterACollectionIncludingWhatIsStillReachable() throws Exception {
        Benchmark.HeapSampler sampler = Benchmark.HeapSampler.start();
        assertThat(sampler.peak()).isEqualTo(-1);
        byte[] retained = new byte[64 * 1024 * 1024];
        System.gc();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sampler.peak() < 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sampler.stop()).isGreaterThanOrEqualTo(retained.length);
        long afterStop = sampler.peak();
        System.gc();
        Thread.sleep(200);
        assertThat(sampler.peak()).as("no longer listening after stop").isEqualTo(afterStop);
    }
}
