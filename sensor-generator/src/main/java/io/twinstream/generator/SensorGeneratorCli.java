package io.twinstream.generator;

import io.twinstream.generator.sink.JsonLinesSink;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Command line: {@code sensor-generator --out kafka --bootstrap-servers localhost:9092 --assets 500}.
 * Run with {@code --help} for every option.
 */
public final class SensorGeneratorCli {

    static final String HELP = """
            Simulates a fleet of assets and writes their telemetry as JSON, one record per reading.

              --out kafka|stdout|FILE          where records go (default stdout)
              --bootstrap-servers HOST:PORT    Kafka brokers (with --out kafka)
              --topic NAME                     telemetry topic (default telemetry.raw)
              --labels-topic NAME              topic for fault labels (default: none)
              --labels-file FILE               JSON-lines file for fault labels (default: none)
              --kafka.<key> VALUE              any Kafka producer setting, e.g. --kafka.security.protocol SASL_SSL
              --kafka-properties-file FILE     Kafka producer settings from a properties file (credentials)
              --seed N                         random seed (default 42)
              --assets N                       fleet size (default 200)
              --sites N                        number of sites (default 8)
              --models FILE|DIR                asset models (JSON or YAML) added to the built-in ones
              --asset-types A,B                restrict to these types (default all)
              --start ISO-8601|now             event time of the first reading (default now)
              --duration 10m|3600s|PT1H        simulated time to run (default: until Ctrl-C)
              --rate N|realtime|max            records per second (default realtime)
              --faults-per-asset-hour X        mean sensor faults per asset per hour (default 0.5)
              --fault-kinds SPIKE,DRIFT,...    kinds to inject (default all)
              --fault-warmup 5m                no fault before this much simulated time (default 5m)
              --duplicates P --out-of-order P --late P --malformed P --schema-violations P --unknown-types P
                                               transport-fault probabilities per record (default 0)
              --transport-faults P             set all six at once
              --progress-seconds N             progress line interval on stderr (default 5)
            """;

    /** The built-in models, with those of {@code --models FILE|DIR} added. */
    public static AssetModels models(Map<String, String> args) {
        String path = args.get("models");
        return io.twinstream.schemas.ModelDefinitions.load(path == null ? null : java.nio.file.Path.of(path));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        if (args.containsKey("help")) {
            System.out.print(HELP);
            return;
        }
        GeneratorConfig config;
        FleetGenerator generator;
        try {
            config = toConfig(args);
            generator = new FleetGenerator(config, models(args));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            System.err.println("twinstream generator: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return;
        }
        try (RecordSink sink = openSink(args)) {
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "generator-progress");
                t.setDaemon(true);
                return t;
            });
            long every = Long.parseLong(args.getOrDefault("progress-seconds", "5"));
            progress.scheduleAtFixedRate(() -> System.err.println(generator.stats().progressLine()),
                    every, every, TimeUnit.SECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(generator::stop));
            generator.run(sink);
            progress.shutdownNow();
        }
        System.err.println(generator.stats().progressLine());
    }

    public static Map<String, String> parse(String[] argv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + argv[i] + "\n" + HELP);
            }
            String key = argv[i].substring(2);
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                m.put(key, argv[++i]);
            } else {
                m.put(key, "true");
            }
        }
        return m;
    }

    public static GeneratorConfig toConfig(Map<String, String> a) {
        GeneratorConfig.Builder b = GeneratorConfig.defaults().copy();
        if (a.containsKey("seed")) b.seed(Long.parseLong(a.get("seed")));
        if (a.containsKey("assets")) b.assets(Integer.parseInt(a.get("assets")));
        if (a.containsKey("sites")) b.sites(Integer.parseInt(a.get("sites")));
        if (a.containsKey("asset-types")) b.assetTypes(Arrays.asList(a.get("asset-types").split(",")));
        if (a.containsKey("start") && !a.get("start").equals("now")) b.startMs(Instant.parse(a.get("start")).toEpochMilli());
        if (a.containsKey("duration")) b.durationMs(parseDuration(a.get("duration")).toMillis());
        if (a.containsKey("rate")) {
            String r = a.get("rate");
            b.ratePerSecond(r.equals("realtime") ? -1 : r.equals("max") ? 0 : Double.parseDouble(r));
        }
        if (a.containsKey("faults-per-asset-hour")) b.faultsPerAssetHour(Double.parseDouble(a.get("faults-per-asset-hour")));
        if (a.containsKey("fault-kinds")) {
            b.faultKinds(Arrays.stream(a.get("fault-kinds").split(",")).map(FaultKind::valueOf)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class))));
        }
        if (a.containsKey("fault-warmup")) b.faultWarmupMs(parseDuration(a.get("fault-warmup")).toMillis());
        if (a.containsKey("transport-faults")) b.allTransportFaults(Double.parseDouble(a.get("transport-faults")));
        if (a.containsKey("duplicates")) b.duplicateRate(Double.parseDouble(a.get("duplicates")));
        if (a.containsKey("out-of-order")) b.outOfOrderRate(Double.parseDouble(a.get("out-of-order")));
        if (a.containsKey("late")) b.lateRate(Double.parseDouble(a.get("late")));
        if (a.containsKey("malformed")) b.malformedRate(Double.parseDouble(a.get("malformed")));
        if (a.containsKey("schema-violations")) b.schemaViolationRate(Double.parseDouble(a.get("schema-violations")));
        if (a.containsKey("unknown-types")) b.unknownTypeRate(Double.parseDouble(a.get("unknown-types")));
        return b.build();
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 500ms} or ISO-8601 {@code PT1H}. */
    public static Duration parseDuration(String s) {
        if (s.startsWith("P") || s.startsWith("p")) {
            return Duration.parse(s);
        }
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("bad duration " + s);
        };
    }

    static RecordSink openSink(Map<String, String> a) throws Exception {
        String out = a.getOrDefault("out", "stdout");
        if (out.equals("kafka")) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", a.getOrDefault("bootstrap-servers", "localhost:9092"));
            if (a.containsKey("kafka-properties-file")) {
                java.util.Properties file = new java.util.Properties();
                try (var r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(a.get("kafka-properties-file")))) {
                    file.load(r);
                }
                file.forEach((k, v) -> props.put(k.toString(), v));
            }
            a.forEach((k, v) -> {
                if (k.startsWith("kafka.")) {
                    props.put(k.substring("kafka.".length()), v);
                }
            });
            KafkaRecordSink kafka = new KafkaRecordSink(props, a.getOrDefault("topic", "telemetry.raw"),
                    a.get("labels-topic"));
            return a.containsKey("labels-file") ? new LabelsAlsoToFile(kafka, a.get("labels-file")) : kafka;
        }
        OutputStream labels = a.containsKey("labels-file")
                ? new BufferedOutputStream(new FileOutputStream(a.get("labels-file"))) : null;
        if (out.equals("stdout")) {
            return new JsonLinesSink(System.out, labels, false);
        }
        return new JsonLinesSink(new BufferedOutputStream(new FileOutputStream(out)), labels, true);
    }

    /** Kafka for records, and a file for labels as well. */
    private record LabelsAlsoToFile(KafkaRecordSink kafka, JsonLinesSink file) implements RecordSink {
        LabelsAlsoToFile(KafkaRecordSink kafka, String path) throws Exception {
            this(kafka, new JsonLinesSink(OutputStream.nullOutputStream(),
                    new BufferedOutputStream(new FileOutputStream(path)), true));
        }

        @Override
        public void send(GeneratedRecord record) throws Exception {
            kafka.send(record);
        }

        @Override
        public void label(io.twinstream.schemas.FaultLabel label) throws Exception {
            kafka.label(label);
            file.label(label);
        }

        @Override
        public void flush() throws Exception {
            kafka.flush();
            file.flush();
        }

        @Override
        public void close() throws Exception {
            kafka.close();
            file.close();
        }
    }

    private SensorGeneratorCli() {}

}
