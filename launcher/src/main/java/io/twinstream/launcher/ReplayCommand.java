package io.twinstream.launcher;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.jobs.replay.Replay;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.Rollup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;

/**
 * {@code bin/twinstream replay --from T1 --to T2 [--set key=value ...] [--models FILE] [--warmup D | --warmup all]
 * [--labels-topic TOPIC] [--out DIR] [pipeline settings]}: the pipeline over the recorded telemetry of a period, with
 * changed settings or models, into scratch topics; then a side-by-side report against the live alerts, printed and
 * as a PNG chart.
 */
public final class ReplayCommand {
    private ReplayCommand() {}

    static final String USAGE = "usage: twinstream replay --from TIME --to TIME [--set key=value ...] [--models FILE] "
            + "[--warmup DURATION|all] [--tail DURATION] [--labels-topic TOPIC] [--out DIR] [pipeline settings]\n"
            + "  TIME: ISO-8601 (2026-12-04T10:00:00Z) or epoch ms; --warmup: how much telemetry before --from the "
            + "twins learn from (default all: from the topic's start, which reproduces the live alerts exactly); --tail: "
            + "telemetry after --to replayed too, so that incidents started before it are confirmed as live (default 5 min)";

    /** What the command line asks for. */
    record Request(long from, long to, long tailMs, long warmupFrom, Map<String, String> overrides, boolean ownModels,
            String labelsTopic, Path out, PipelineConfig live) {}

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Request r;
        try {
            r = parse(args, System.getenv());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("twinstream replay: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        ReplayReport report = run(r, StreamExecutionEnvironment.getExecutionEnvironment()).report();
        report.print(System.out, Instant.ofEpochMilli(r.from()) + " to " + Instant.ofEpochMilli(r.to()), r.overrides());
        Files.createDirectories(r.out());
        Path png = r.out().resolve("replay.png");
        report.chart(png, "incidents " + Instant.ofEpochMilli(r.from()) + " to " + Instant.ofEpochMilli(r.to()));
        System.out.println("\nchart: " + png);
    }

    static Request parse(String[] args, Map<String, String> env) throws IOException {
        Long from = null;
        Long to = null;
        String warmup = "all";
        String tail = "5 min";
        Map<String, String> overrides = new LinkedHashMap<>();
        String labels = null;
        Path out = Path.of("target", "replay");
        List<String> rest = new ArrayList<>();
        boolean ownModels = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--from" -> from = PipelineConfig.epochMillis(v, "--from");
                case "--to" -> to = PipelineConfig.epochMillis(v, "--to");
                case "--warmup" -> warmup = v;
                case "--tail" -> tail = v;
                case "--labels-topic" -> labels = v;
                case "--out" -> out = Path.of(v);
                case "--set" -> {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set takes key=value, got '" + v + "'");
                    }
                    overrides.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
                }
                default -> {
                    if (a.equals("--models")) {
                        ownModels = true;
                    }
                    rest.add(a);
                    rest.add(v);
                }
            }
        }
        if (from == null || to == null) {
            throw new IllegalArgumentException("give --from and --to");
        }
        PipelineConfig live = PipelineConfig.fromArgs(rest.toArray(String[]::new), env);
        overrides.forEach((k, v) -> live.withSetting(k, v)); // an unknown key is refused here, before any work
        long warmupFrom = warmup.equals("all") ? Long.MIN_VALUE : from - TimeUtils.parseDuration(warmup).toMillis();
        return new Request(from, to, TimeUtils.parseDuration(tail).toMillis(), warmupFrom, overrides, ownModels, labels, out, live);
    }

    /** A replay's report and its settings (the scratch topics it wrote). */
    record Outcome(ReplayReport report, PipelineConfig scratch) {}

    /** Runs the replay on {@code env} and compares it with what the live pipeline wrote. */
    static Outcome run(Request r, StreamExecutionEnvironment env) throws Exception {
        String namespace = "replay-" + System.currentTimeMillis();
        AssetModels models = r.live().models();
        Replay replay = new Replay(r.from(), r.to(), r.tailMs(), r.warmupFrom(), namespace, r.overrides());
        PipelineConfig scratch = replay.run(env, r.live(), models, r.ownModels(), 4);
        System.err.println("replay " + namespace + " done; its outputs are on " + namespace + ".* topics");
        return new Outcome(report(r, scratch), scratch);
    }

    static ReplayReport report(Request r, PipelineConfig scratch) {
        PipelineConfig live = r.live();
        List<FaultLabel> labels = r.labelsTopic() == null ? List.of() : read(live, r.labelsTopic(), FaultLabel.class);
        long graceMs = scratch.millis(Key.WINDOW_SIZE) + scratch.integer(Key.RAISE_WINDOWS) * scratch.millis(Key.WINDOW_SLIDE);
        return ReplayReport.compare(read(live, live.get(Key.TOPIC_ALERTS), Alert.class),
                read(scratch, scratch.get(Key.TOPIC_ALERTS), Alert.class), labels, graceMs,
                scratch.millis(Key.WINDOW_SLIDE), read(live, live.get(Key.TOPIC_ROLLUPS), Rollup.class),
                read(scratch, scratch.get(Key.TOPIC_ROLLUPS), Rollup.class), r.from(), r.to());
    }

    static <T> List<T> read(PipelineConfig c, String topic, Class<T> type) {
        if (topic == null || topic.isBlank()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (var record : TopicReader.readAll(c.kafkaProperties(), topic, true)) {
            try {
                out.add(Json.MAPPER.readValue(record.value(), type));
            } catch (IOException e) {
                // not one of ours: a report reads what it can
            }
        }
        return out;
    }
}
