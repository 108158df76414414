package io.twinstream.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this JVM's threads ({@code /proc/self/task}), grouped by what they do: the job's keyed operator (with the
 * sinks chained to it), its sources, the sinks' Kafka producer threads, the in-process broker, the JIT, the garbage
 * collector, RocksDB's background threads, and the rest. Everything here shares the machine's 2 cores, which the throughput runs keep busy, so a
 * job's events/s is the cores over its CPU per event; this shows where the pipeline spends the CPU the pass-through
 * does not. JIT and GC threads are not Java threads, so {@code ThreadMXBean} would not see them.
 */
final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");

    static final String KEYED_OPERATOR = "keyed operator";
    static final String SOURCES = "sources";
    static final String PRODUCERS = "sink producers";
    static final String BROKER = "broker";
    static final String JIT = "JIT";
    static final String GC = "GC";
    static final String ROCKSDB = "RocksDB";
    static final String OTHER = "other";
    static final List<String> GROUPS = List.of(KEYED_OPERATOR, SOURCES, PRODUCERS, BROKER, JIT, GC, ROCKSDB, OTHER);

    /** Thread name prefixes (Linux keeps a thread's first 15 characters) to group; the first match wins. */
    private static final Map<String, String> PREFIXES = prefixes();

    private static Map<String, String> prefixes() {
        Map<String, String> p = new LinkedHashMap<>();
        for (String s : List.of(PassThroughJob.OPERATOR, "digital-twin")) {
            p.put(s, KEYED_OPERATOR);
        }
        for (String s : List.of("Source: ", "Source Data Fet")) {
            p.put(s, SOURCES);
        }
        p.put("kafka-producer-", PRODUCERS);
        for (String s : List.of("data-plane-kafk", "kafka-", "broker-", "controller-", "quorum-controll", "group-coordinat",
                "share-", "TxnMarkerSender", "AddPartitionsTo", "ExpirationReape", "executor-", "persister-state",
                "raft-expiration", "transaction-log", "network-partiti")) {
            p.put(s, BROKER);
        }
        for (String s : List.of("C1 CompilerThre", "C2 CompilerThre")) {
            p.put(s, JIT);
        }
        for (String s : List.of("GC Thread", "G1 ", "VM Thread")) {
            p.put(s, GC);
        }
        p.put("rocksdb:", ROCKSDB); // its flush and compaction threads
        return p;
    }

    /** Each thread's name and CPU ticks so far, by thread id. */
    record Sample(Map<Integer, String> names, Map<Integer, Long> ticks) {
        static final Sample NONE = new Sample(Map.of(), Map.of());
    }

    private ThreadCpu() {}

    /** The threads of this JVM now; empty where there is no {@code /proc}. */
    static Sample sample() {
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int tid = Integer.parseInt(task.getFileName().toString());
                    names.put(tid, name(stat));
                    ticks.put(tid, ticks(stat));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Sample.NONE;
        }
        return new Sample(names, ticks);
    }

    /** The thread name in a {@code /proc/.../stat} line: between the first '(' and the last ')', which it may contain. */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** User plus system time (fields 14 and 15) of a {@code /proc/.../stat} line, in ticks. */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String group(String threadName) {
        for (Map.Entry<String, String> p : PREFIXES.entrySet()) {
            if (threadName.startsWith(p.getKey())) {
                return p.getValue();
            }
        }
        return OTHER;
    }

    /**
     * CPU seconds per group between two samples, every group present; none at all where there was no {@code /proc}
     * to read (so the report says "n/a" rather than zeros). A thread that started in between counts from its start;
     * one that ended in between is not in the later sample and its last share is lost (the job's threads live as long
     * as the job, the broker's as long as the bench).
     */
    static Map<String, Double> secondsBetween(Sample from, Sample to) {
        if (from.ticks().isEmpty() || to.ticks().isEmpty()) {
            return Map.of();
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        GROUPS.forEach(g -> seconds.put(g, 0.0));
        to.ticks().forEach((tid, t) -> {
            long before = from.ticks().getOrDefault(tid, 0L);
            // a reused thread id: another thread, counted from its start
            long used = from.names().containsKey(tid) && from.names().get(tid).equals(to.names().get(tid)) && t >= before
                    ? t - before : t;
            seconds.merge(group(to.names().get(tid)), used / CpuSteal.TICKS_PER_SECOND, Double::sum);
        });
        return seconds;
    }
}
