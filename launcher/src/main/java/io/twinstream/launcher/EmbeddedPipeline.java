package io.twinstream.launcher;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.SensorGeneratorCli;
import io.twinstream.generator.devices.CommandListener;
import io.twinstream.generator.devices.SimulatedDevices;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.TwinPipelineJob;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.Topics;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The embedded default: a real Kafka broker in this JVM (or an external one), the pipeline's
 * topics, the sensor generator, the pipeline on a Flink MiniCluster with its web UI, and a live
 * view fed from the sink topics. Ctrl-C stops it all.
 *
 * <pre>
 * twinstream demo [--gen.assets 200] [--gen.rate realtime] [--web-port 8081]
 *                 [--kafka.bootstrap-servers HOST:PORT]   (external broker instead of the embedded one)
 *                 [--config FILE] [--any.pipeline.key VALUE]
 * </pre>
 */
public final class EmbeddedPipeline implements AutoCloseable {
    public static final int DEFAULT_WEB_PORT = 8081;
    public static final int DEFAULT_KAFKA_PORT = 9092;

    /** Demo defaults on top of the generator's: faults soon, a few transport faults. */
    static final Map<String, String> DEMO_GENERATOR_DEFAULTS = Map.of(
            "assets", "200", "rate", "realtime", "faults-per-asset-hour", "2", "fault-warmup", "1m",
            "transport-faults", "0.002");

    /** Wall-clock time between two desired-state changes the demo's operator makes. */
    static final Duration DEMO_DESIRED_EVERY = Duration.ofSeconds(20);

    private final EmbeddedKafka kafka;
    private PipelineConfig config;
    private SimulatedDevices devices;
    private CommandListener commandListener;
    private Thread operator;
    private FleetGenerator generator;
    private Thread generatorThread;
    private JobClient job;
    private final LiveView view = new LiveView();
    private Thread viewFeeder;
    private KafkaConsumer<byte[], byte[]> viewConsumer;
    private final int webPort;
    private volatile Exception generatorFailure;

    /**
     * @param pipelineArgs pipeline settings; without {@code kafka.bootstrap-servers} an embedded broker starts
     * @param generatorArgs generator settings as in the generator CLI, without the leading dashes
     */
    public EmbeddedPipeline(Map<String, String> pipelineArgs, Map<String, String> generatorArgs, int webPort,
            int parallelism) throws Exception {
        this.webPort = webPort;
        boolean external = pipelineArgs.containsKey(Key.BOOTSTRAP_SERVERS.name);
        // wrong settings fail here, before anything is started that would have to be stopped
        GeneratorConfig generatorConfig = SensorGeneratorCli.toConfig(generatorArgs);
        Map<String, String> settings = new LinkedHashMap<>(pipelineArgs);
        String registryFile = settings.remove(ASSETS_OPTION);
        PipelineConfig.fromArgs(toArgs(settings), System.getenv()).models();
        if (registryFile != null) {
            io.twinstream.schemas.AssetEntries.readFile(Path.of(registryFile));
        }
        kafka = external ? null : startBroker();
        try {
            start(pipelineArgs, generatorConfig, external, webPort, parallelism);
        } catch (Exception | Error e) {
            stopQuietly();
            throw e;
        }
    }

    private void start(Map<String, String> pipelineArgs, GeneratorConfig generatorConfig, boolean external, int webPort,
            int parallelism) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(pipelineArgs);
        String registryFile = settings.remove(ASSETS_OPTION);
        if (!external) {
            settings.put(Key.BOOTSTRAP_SERVERS.name, kafka.bootstrapServers());
        }
        settings.putIfAbsent(Key.PARALLELISM.name, String.valueOf(parallelism));
        // the live view reads committed results: short checkpoints keep it close to live
        settings.putIfAbsent(Key.CHECKPOINT_INTERVAL.name, "2 s");
        settings.putIfAbsent(Key.STARTING_OFFSETS.name, external ? "committed-or-earliest" : "earliest");
        config = PipelineConfig.fromArgs(toArgs(settings), System.getenv());

        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.ensure(admin, config, 4, (short) 1);
        }
        if (registryFile != null) {
            // checked before anything is written; the job reads the registry topic from its start
            Map<String, String> entries = new LinkedHashMap<>();
            for (io.twinstream.schemas.AssetEntry e : io.twinstream.schemas.AssetEntries.readFile(Path.of(registryFile))) {
                entries.put(e.assetId(), io.twinstream.schemas.Json.MAPPER.writeValueAsString(e));
            }
            DefinitionsCommand.publish(config, config.get(Key.TOPIC_ASSETS), entries);
        }

        AssetModels models = config.models();
        generator = new FleetGenerator(generatorConfig, models);
        Map<String, Object> producer = new HashMap<>();
        config.kafkaProperties().forEach((k, v) -> producer.put(k.toString(), v));
        KafkaRecordSink sink = new KafkaRecordSink(producer, config.get(Key.TOPIC_TELEMETRY), null)
                .withAcks(config.get(Key.TOPIC_ACKS));
        // the far end of the command loop: most devices obey, a few ignore, fail or drift away (labelled per asset)
        devices = new SimulatedDevices(SimulatedDevices.drawn(generatorConfig.seed(), 0.1, 0.05, 0.1),
                SimulatedDevices.Settings.defaults());
        generator.withDevices(devices);
        generatorThread = new Thread(() -> {
            try (sink) {
                generator.run(sink);
            } catch (Exception e) {
                generatorFailure = e;
            }
        }, "sensor-generator");
        generatorThread.setDaemon(true);
        generatorThread.start();

        Configuration flink = TwinPipeline.flinkConfiguration(config);
        flink.set(RestOptions.PORT, webPort);
        flink.set(RestOptions.ADDRESS, "localhost");
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        TwinPipeline.build(env, config, models, new KafkaPipelineIo(config, models));
        job = env.executeAsync(TwinPipelineJob.NAME);

        commandListener = new CommandListener(producer, config.get(Key.TOPIC_COMMANDS), devices);
        operator = new Thread(this::operate, "demo-operator");
        operator.setDaemon(true);
        operator.start();

        viewConsumer = viewConsumer(config.kafkaProperties());
        viewConsumer.subscribe(List.of(config.get(Key.TOPIC_SNAPSHOTS), config.get(Key.TOPIC_DEAD_LETTER),
                config.get(Key.TOPIC_ALERTS)));
        viewFeeder = new Thread(this::feedView, "live-view");
        viewFeeder.setDaemon(true);
        viewFeeder.start();
    }

    /**
     * The embedded broker listens on localhost:9092 when that port is free, the default of every other command
     * ({@code twinstream sql}, {@code job}, {@code generator}), so they reach the running demo without settings.
     */
    static EmbeddedKafka startBroker() {
        int port = DEFAULT_KAFKA_PORT;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("localhost"))) {
            probe.setReuseAddress(true);
        } catch (java.io.IOException taken) {
            System.out.println("port " + port + " is taken: the embedded broker uses a free port (see the header)");
            port = 0;
        }
        return EmbeddedKafka.startTemporary(port, Map.of());
    }

    private static KafkaConsumer<byte[], byte[]> viewConsumer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "twinstream-live-view-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void feedView() {
        String snapshots = config.get(Key.TOPIC_SNAPSHOTS);
        String alerts = config.get(Key.TOPIC_ALERTS);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> r : viewConsumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(snapshots)) {
                        view.onSnapshot(r.value());
                    } else if (r.topic().equals(alerts)) {
                        view.onAlert(r.value());
                    } else {
                        view.onDeadLetter(r.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            viewConsumer.close();
        }
    }

    /**
     * The demo's operator: every {@link #DEMO_DESIRED_EVERY}, a new desired value for the next asset whose model has a
     * settable property, at the fleet's current event time, so commands, their acknowledgements, expiries and drifts
     * show in the live view.
     */
    private void operate() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        int next = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(DEMO_DESIRED_EVERY.toMillis());
                for (int tried = 0; tried < generator.size(); tried++, next = (next + 1) % generator.size()) {
                    io.twinstream.schemas.AssetModel model = generator.model(next);
                    if (!model.settable().isEmpty() && generator.stats().simulatedTime() > 0) {
                        io.twinstream.schemas.SettableProperty p = model.settable().get(0);
                        double value = Math.round(p.min() + (p.max() - p.min()) * (0.2 + 0.6 * random.nextDouble()));
                        String asset = generator.assetId(next);
                        DefinitionsCommand.publish(config, config.get(Key.TOPIC_DESIRED), Map.of(asset,
                                io.twinstream.schemas.Json.MAPPER.writeValueAsString(new io.twinstream.schemas.DesiredState(
                                        1, asset, Map.of(p.name(), value), generator.stats().simulatedTime(),
                                        "demo-operator"))));
                        next = (next + 1) % generator.size();
                        break;
                    }
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            generatorFailure = e;
        }
    }

    /** The simulated devices: how many commands reached them and how many they applied. */
    public SimulatedDevices devices() {
        return devices;
    }

    private static String[] toArgs(Map<String, String> settings) {
        return settings.entrySet().stream().flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue()))
                .toArray(String[]::new);
    }

    public LiveView view() {
        return view;
    }

    public PipelineConfig config() {
        return config;
    }

    public FleetGenerator generator() {
        return generator;
    }

    public String webUrl() {
        return "http://localhost:" + webPort;
    }

    public String header() {
        String broker = kafka != null ? "embedded Kafka " + kafka.bootstrapServers() : "Kafka " + config.get(Key.BOOTSTRAP_SERVERS);
        String failure = generatorFailure == null ? "" : "generator FAILED: " + generatorFailure + "\n";
        return "twinstream — " + broker + " — Flink web UI " + webUrl() + " — Ctrl-C to stop\n"
                + generator.stats().progressLine() + "\n" + "commands: " + devices.received() + " reached the devices, "
                + devices.applied() + " applied (a desired value every " + DEMO_DESIRED_EVERY.toSeconds() + " s; "
                + "bin/twinstream desired set ASSET PROPERTY=VALUE)\n" + failure;
    }

    @Override
    public void close() throws Exception {
        if (operator != null) {
            operator.interrupt();
            operator.join(10_000);
        }
        if (commandListener != null) {
            commandListener.close();
        }
        if (generator != null) {
            generator.stop();
            generatorThread.join(10_000);
        }
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                // already finished or failed: nothing to cancel
            }
        }
        if (viewConsumer != null) {
            viewConsumer.wakeup();
            viewFeeder.join(10_000);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** After a failed start: stops whatever had started, so the process can exit and frees its ports. */
    private void stopQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("while stopping after a failed start: " + e);
        }
    }

    /** {@code --assets FILE}: registry entries (CSV or JSON) published before the job starts. */
    static final String ASSETS_OPTION = "assets";

    public static void main(String[] argv) throws Exception {
        Map<String, String> pipelineArgs = new LinkedHashMap<>();
        Map<String, String> generatorArgs = new HashMap<>(DEMO_GENERATOR_DEFAULTS);
        int webPort = DEFAULT_WEB_PORT;
        int parallelism = 2;
        Map<String, String> args = SensorGeneratorCli.parse(argv);
        for (Map.Entry<String, String> e : args.entrySet()) {
            if (e.getKey().startsWith("gen.")) {
                generatorArgs.put(e.getKey().substring(4), e.getValue());
            } else if (e.getKey().equals("web-port") || e.getKey().equals("parallelism")) {
                int v;
                try {
                    v = Integer.parseInt(e.getValue());
                } catch (NumberFormatException bad) {
                    System.err.println("twinstream demo: --" + e.getKey() + " takes a whole number, not '" + e.getValue() + "'");
                    System.exit(2);
                    return;
                }
                if (e.getKey().equals("web-port")) {
                    webPort = v;
                } else {
                    parallelism = v;
                }
            } else {
                pipelineArgs.put(e.getKey(), e.getValue());
            }
        }
        boolean tty = System.console() != null;
        CountDownLatch stopped = new CountDownLatch(1);
        System.out.println("starting twinstream (broker, topics, generator, Flink MiniCluster)...");
        EmbeddedPipeline pipeline;
        try {
            pipeline = new EmbeddedPipeline(pipelineArgs, generatorArgs, webPort, parallelism);
        } catch (IllegalArgumentException e) {
            System.err.println("twinstream demo: invalid argument: " + e.getMessage()
                    + " (bin/twinstream generator --help lists the --gen.* options)");
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("twinstream demo: could not start: " + e + " (details in the log file)");
            System.exit(1);
            return;
        }
        System.out.println(pipeline.config().describe());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping twinstream...");
            try {
                pipeline.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e);
            }
            stopped.countDown();
        }, "twinstream-shutdown"));
        while (stopped.getCount() > 0) {
            String frame = pipeline.view().render(pipeline.header());
            System.out.print(tty ? "\033[H\033[2J" + frame : frame + "\n");
            System.out.flush();
            Thread.sleep(tty ? 2_000 : 10_000);
        }
    }
}
