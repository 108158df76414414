package io.twinstream.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable table of a run. */
final class Report {

    static String table(Results r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%ntwinstream benchmark, %s, %s cores%n", r.startedAt(), r.machine().get("cores")));
        if (r.throughput() != null) {
            Results.Throughput t = r.throughput();
            b.append(String.format(Locale.ROOT, "%nthroughput (%,d events, %,d assets, same data and settings)%n", t.events(), t.assets()));
            b.append(String.format(Locale.ROOT, "  pass-through Kafka->Flink->Kafka  %,10.0f events/s%n", t.passThroughEventsPerSecond()));
            b.append(String.format(Locale.ROOT, "  full pipeline                     %,10.0f events/s%n", t.pipelineEventsPerSecond()));
            b.append(String.format(Locale.ROOT, "  pipeline / pass-through           %10.2f%n", t.ratio()));
            b.append(String.format(Locale.ROOT, "  written to the broker per event    %,7.0f B pass-through, %,.0f B pipeline (%.1fx; lz4 batches)%n",
                    t.passThroughBytesOutPerEvent(), t.pipelineBytesOutPerEvent(),
                    t.pipelineBytesOutPerEvent() / t.passThroughBytesOutPerEvent()));
            if (t.pipelineRuns().size() > 1) {
                b.append(String.format(Locale.ROOT, "  (medians of %d alternating runs each; pass-through %s, pipeline %s)%n",
                        t.pipelineRuns().size(), runs(t.passThroughRuns()), runs(t.pipelineRuns())));
            }
            b.append(String.format(Locale.ROOT, "  cores stolen by the VM's neighbours: pass-through %s, pipeline %s%n",
                    stolen(t.passThroughStolenCores()), stolen(t.pipelineStolenCores())));
            if (t.pipelineCpuMicrosPerEvent() != null && !t.pipelineCpuMicrosPerEvent().isEmpty()
                    && !t.pipelineCpuMicrosPerEvent().get(0).isEmpty()) { // none in a results.json of an older bench
                b.append(String.format(Locale.ROOT, "  CPU per event, microseconds (medians of the runs), by thread:%n"));
                b.append(String.format(Locale.ROOT, "    %-16s %12s %9s%n", "", "pass-through", "pipeline"));
                for (String group : ThreadCpu.GROUPS) {
                    b.append(String.format(Locale.ROOT, "    %-16s %12.2f %9.2f%n", group,
                            median(t.passThroughCpuMicrosPerEvent(), m -> m.getOrDefault(group, 0.0)),
                            median(t.pipelineCpuMicrosPerEvent(), m -> m.getOrDefault(group, 0.0))));
                }
                b.append(String.format(Locale.ROOT, "    %-16s %12.2f %9.2f%n", "total",
                        median(t.passThroughCpuMicrosPerEvent(), Report::total), median(t.pipelineCpuMicrosPerEvent(), Report::total)));
            }
        }
        if (r.liveMaximum() != null) {
            Results.LiveMaximum m = r.liveMaximum();
            b.append(String.format(Locale.ROOT, "%nlive maximum (pipeline, sender and output consumers on this machine)%n"));
            double fixed = Double.parseDouble(r.settings().getOrDefault("offeredRate", "0"));
            b.append(String.format(Locale.ROOT, "  %,.0f events/s over %.0f s, %,d assets; offered in the latency runs: %s%n",
                    m.eventsPerSecond(), m.seconds(), m.assets(),
                    fixed > 0 ? String.format(Locale.ROOT, "a fixed %,.0f events/s", fixed) : r.settings().get("offeredShare") + " of it"));
        }
        if (!r.latency().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nlatency, event -> visible to a read_committed consumer (ms)%n"));
            b.append(String.format(Locale.ROOT, "  %-14s %-10s %9s %9s %7s %8s %7s %7s %7s %8s %7s %7s %7s%n", "mode",
                    "checkpoint", "offered/s", "sent/s", "assets", "alerts", "p50", "p99", "p99.9", "snaps", "p50", "p99", "p99.9"));
            for (Results.Latency l : r.latency()) {
                b.append(String.format(Locale.ROOT, "  %-14s %-10s %,9.0f %,9.0f %,7d %,8d %7.0f %7.0f %7.0f %,8d %7.0f %7.0f %7.0f%n",
                        l.deliveryGuarantee(), l.checkpointInterval(), l.offeredEventsPerSecond(), l.achievedEventsPerSecond(), l.assets(),
                        l.alert().count(), l.alert().p50(), l.alert().p99(), l.alert().p999(),
                        l.snapshot().count(), l.snapshot().p50(), l.snapshot().p99(), l.snapshot().p999()));
            }
            for (Results.Latency l : r.latency()) {
                b.append(String.format(Locale.ROOT, "  %s: checkpoints took %.0f ms (p50), %.0f ms (max) end to end, %d of them%n",
                        l.deliveryGuarantee(), l.checkpointDuration().p50(), l.checkpointDuration().max(), l.checkpointDuration().count()));
            }
            for (Results.Latency l : r.latency()) {
                if (l.readingsSentLate() > 0) {
                    b.append(String.format(Locale.ROOT, "  %s: the sender was more than 100 ms late for %,d readings%n",
                            l.deliveryGuarantee(), l.readingsSentLate()));
                }
            }
        }
        if (!r.scale().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nstate scale (pipeline, %s events per run)%n", r.settings().get("events")));
            b.append(String.format(Locale.ROOT, "  %10s %-8s %11s %11s %12s %12s %9s %9s %12s %7s%n", "assets", "backend", "events/s",
                    "vs smallest", "checkpoint", "full state", "cp ms", "live heap", "off-heap rss", "stolen"));
            for (Results.Scale s : r.scale()) {
                if (s.error() != null) {
                    b.append(String.format(Locale.ROOT, "  %,10d %-8s failed: %s%n", s.assets(), s.stateBackend(), s.error()));
                    continue;
                }
                double smallest = r.scale().stream().filter(x -> x.stateBackend().equals(s.stateBackend()) && x.error() == null)
                        .mapToDouble(Results.Scale::eventsPerSecond).findFirst().orElse(Double.NaN);
                b.append(String.format(Locale.ROOT, "  %,10d %-8s %,11.0f %11.2f %12s %12s %,9d %9s %12s %7s%n", s.assets(), s.stateBackend(),
                        s.eventsPerSecond(), s.eventsPerSecond() / smallest, bytes(s.checkpointBytes()), bytes(s.stateBytes()),
                        s.checkpointMillis(), bytes(s.liveHeapBytes()), bytes(s.offHeapRssBytes()), cores(s.stolenCores())));
            }
            if (r.scale().stream().anyMatch(s -> s.runs() != null && s.runs().size() > 1)) {
                b.append(String.format(Locale.ROOT, "  (events/s: medians of %s rounds, each running every size on every backend once; "
                        + "the other figures from the run nearest the median; each round's events/s:)%n", r.settings().get("scaleRepeats")));
                for (Results.Scale s : r.scale()) {
                    if (s.error() == null && s.runs() != null) {
                        b.append(String.format(Locale.ROOT, "  %,10d %-8s %s%n", s.assets(), s.stateBackend(), runs(s.runs())));
                    }
                }
            }
        }
        return b.toString();
    }

    /** One run's CPU per event by thread group, for the log: "keyed operator 7.71, sources 3.12, ..., total 16.60 µs". */
    static String micros(Map<String, Double> perEvent) {
        if (perEvent.isEmpty()) {
            return "n/a";
        }
        StringBuilder b = new StringBuilder();
        perEvent.forEach((group, us) -> b.append(String.format(Locale.ROOT, "%s %.2f, ", group, us)));
        return b.append(String.format(Locale.ROOT, "total %.2f µs", total(perEvent))).toString();
    }

    static double total(Map<String, Double> perEvent) {
        return perEvent.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double median(List<Map<String, Double>> runs, java.util.function.ToDoubleFunction<Map<String, Double>> value) {
        return Benchmark.median(runs.stream().map(value::applyAsDouble).toList());
    }

    /** Cores stolen per run, in the order they ran. */
    private static String stolen(List<Double> perRun) {
        return String.join(" / ", perRun.stream().map(Report::cores).toList());
    }

    /** Cores stolen from one run; "n/a" off Linux, where there is no {@code /proc/stat} to read. */
    private static String cores(double stolen) {
        return Double.isNaN(stolen) ? "n/a" : String.format(Locale.ROOT, "%.2f", stolen);
    }

    private static String runs(List<Double> eventsPerSecond) {
        return String.join(" / ", eventsPerSecond.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
    }

    static String bytes(long n) {
        if (n < 0) {
            return "n/a";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / 1024.0 / 1024);
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / 1024.0 / 1024 / 1024);
    }

    private Report() {}
}
