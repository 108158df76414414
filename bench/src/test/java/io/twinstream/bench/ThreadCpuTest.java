package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    /** A thread name may hold spaces and parentheses; the fields after it are counted from the last ')'. */
    @Test
    void readsNameAndTicksOfAStatLine() {
        String stat = "4711 (Source: te (x)) S 1 2 3 4 5 6 7 8 9 10 123 45 0 0 20 0 1 0 100 0 0";
        assertThat(ThreadCpu.name(stat)).isEqualTo("Source: te (x)");
        assertThat(ThreadCpu.ticks(stat)).isEqualTo(168);
    }

    @Test
    void groupsThreadsByWhatTheyDo() {
        assertThat(ThreadCpu.group("digital-twin ->")).isEqualTo(ThreadCpu.KEYED_OPERATOR);
        assertThat(ThreadCpu.group("pass-through ->")).isEqualTo(ThreadCpu.KEYED_OPERATOR);
        assertThat(ThreadCpu.group("Source: telemet")).isEqualTo(ThreadCpu.SOURCES);
        assertThat(ThreadCpu.group("Source Data Fet")).isEqualTo(ThreadCpu.SOURCES);
        assertThat(ThreadCpu.group("kafka-producer-")).isEqualTo(ThreadCpu.PRODUCERS);
        assertThat(ThreadCpu.group("data-plane-kafk")).isEqualTo(ThreadCpu.BROKER);
        assertThat(ThreadCpu.group("kafka-log-clean")).isEqualTo(ThreadCpu.BROKER);
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.group("rocksdb:low")).isEqualTo(ThreadCpu.ROCKSDB);
        assertThat(ThreadCpu.group("flink-metrics-1")).isEqualTo(ThreadCpu.OTHER);
    }

    /** A thread that started in between counts whole, one that ended is gone, a reused id is a new thread. */
    @Test
    void countsEachThreadsCpuBetweenTwoSamples() {
        ThreadCpu.Sample from = new ThreadCpu.Sample(
                Map.of(1, "digital-twin ->", 2, "Source: telemet", 3, "kafka-producer-", 4, "C2 CompilerThre"),
                Map.of(1, 1_000L, 2, 500L, 3, 70L, 4, 900L));
        ThreadCpu.Sample to = new ThreadCpu.Sample(
                Map.of(1, "digital-twin ->", 2, "Source: telemet", 4, "GC Thread#0", 5, "data-plane-kafk"),
                Map.of(1, 1_250L, 2, 520L, 4, 30L, 5, 40L));
        Map<String, Double> seconds = ThreadCpu.secondsBetween(from, to);
        assertThat(seconds).containsKeys(ThreadCpu.GROUPS.toArray(String[]::new));
        assertThat(seconds.get(ThreadCpu.KEYED_OPERATOR)).isCloseTo(2.5, within(1e-9));
        assertThat(seconds.get(ThreadCpu.SOURCES)).isCloseTo(0.2, within(1e-9));
        assertThat(seconds.get(ThreadCpu.PRODUCERS)).isZero();
        assertThat(seconds.get(ThreadCpu.GC)).isCloseTo(0.3, within(1e-9));
        assertThat(seconds.get(ThreadCpu.JIT)).isZero();
        assertThat(seconds.get(ThreadCpu.BROKER)).isCloseTo(0.4, within(1e-9));
    }

    /** Off Linux both samples are empty: no figures, rather than zeros that look measured. */
    @Test
    void withoutProcThereIsNothingToReport() {
        assertThat(ThreadCpu.secondsBetween(ThreadCpu.Sample.NONE, ThreadCpu.Sample.NONE)).isEmpty();
        assertThat(Report.micros(ThreadCpu.secondsBetween(ThreadCpu.Sample.NONE, ThreadCpu.Sample.NONE))).isEqualTo("n/a");
    }

    /** Against this JVM's own {@code /proc}: a busy thread named like the pipeline's operator shows in its group. */
    @Test
    void seesABusyThreadOfThisJvm() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        ThreadCpu.Sample before = ThreadCpu.sample();
        // the thread spins until it has used 0.2 s of CPU of its own, however loaded the machine, and until sampled
        java.util.concurrent.CountDownLatch used = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean sampled = new java.util.concurrent.atomic.AtomicBoolean();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        Thread busy = new Thread(() -> {
            double x = 0;
            while (!sampled.get()) {
                x += Math.sqrt(x + 1);
                if (used.getCount() > 0 && cpu.getCurrentThreadCpuTime() > 200_000_000L) {
                    used.countDown();
                }
            }
            if (x < 0) {
                System.out.println(x);
            }
        }, "digital-twin -> test");
        busy.start();
        assertThat(used.await(2, java.util.concurrent.TimeUnit.MINUTES)).as("the thread used 0.2 s of CPU").isTrue();
        ThreadCpu.Sample during = ThreadCpu.sample(); // while it runs: an ended thread is gone from /proc
        sampled.set(true);
        busy.join();
        assertThat(during.names()).containsValue("digital-twin ->");
        assertThat(ThreadCpu.secondsBetween(before, during).get(ThreadCpu.KEYED_OPERATOR)).isGreaterThan(0.1);
    }
}
