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
        // a witness registered after it sees the next collection (with more heap in use than the stopped sampler's
        // peak); the stopped one, earlier in each collector's listener list, would have been told first
        Benchmark.HeapSampler witness = Benchmark.HeapSampler.start();
        byte[] more = new byte[2 * retained.length];
        deadline = System.nanoTime() + 10_000_000_000L;
        while (witness.peak() <= afterStop && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(witness.stop()).as("the witness saw a collection with more in use").isGreaterThan(afterStop);
        assertThat(sampler.peak()).as("no longer listening after stop").isEqualTo(afterStop);
        java.lang.ref.Reference.reachabilityFence(more); // both reachable through the collections above
        java.lang.ref.Reference.reachabilityFence(retained);
    }
}
