package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinstream.generator.SensorGeneratorCli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A mistyped option must stop the bench at once instead of starting a 35-minute run on defaults. */
class OptionsTest {
    static Benchmark.Options parse(String... argv) {
        return Benchmark.Options.parse(SensorGeneratorCli.parse(argv));
    }

    @Test
    void defaultsRunEveryPhaseOnBothBackends() {
        Benchmark.Options o = parse();
        assertThat(o.phases()).containsExactly("throughput", "latency", "scale");
        assertThat(o.backends()).containsExactly("hashmap", "rocksdb");
        assertThat(o.fleetSizes()).containsExactly(1_000, 100_000, 1_000_000);
        assertThat(o.events()).isEqualTo(1_500_000);
        assertThat(o.warmups()).isEqualTo(2);
        assertThat(o.repeats()).isEqualTo(5);
        assertThat(o.scaleRepeats()).isEqualTo(3);
        assertThat(parse("--scale-repeats", "1").scaleRepeats()).isEqualTo(1);
        assertThat(parse("--warmups", "1").warmups()).isEqualTo(1);
    }

    @Test
    void takesKnownOptionsAndPassThroughSettings() {
        Benchmark.Options o = parse("--phases", "scale", "--backends", "rocksdb", "--fleet-sizes", "1000,1000000",
                "--flink.state.backend.rocksdb.compaction.style", "UNIVERSAL", "--kafka.properties.linger.ms", "20");
        assertThat(o.phases()).containsExactly("scale");
        assertThat(o.backends()).containsExactly("rocksdb");
        assertThat(o.fleetSizes()).isEqualTo(List.of(1_000, 1_000_000));
        assertThat(o.passThrough()).containsEntry("flink.state.backend.rocksdb.compaction.style", "UNIVERSAL")
                .containsEntry("kafka.properties.linger.ms", "20");
    }

    @Test
    void rejectsAnUnknownOptionWithTheHelpText() {
        assertThatThrownBy(() -> parse("--fleet-size", "1000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --fleet-size")
                .hasMessageContaining("--fleet-sizes A,B,C");
    }

    @Test
    void rejectsAnUnknownPhaseOrBackend() {
        assertThatThrownBy(() -> parse("--phases", "scales"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--phases: unknown value 'scales'");
        assertThatThrownBy(() -> parse("--backends", "rocksdb,memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--backends: unknown value 'memory'");
    }

    @Test
    void helpIsNotARun() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            Benchmark.main(new String[] {"--help"});
        } finally {
            System.setOut(before);
        }
        assertThat(out.toString()).contains("--phases throughput,latency,scale").doesNotContain("preloading");
    }
}
