package io.twinstream.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker, in KRaft mode (one node that is broker and controller), running inside this
 * JVM from the {@code kafka_2.13} jars. Used by the tests, the embedded demo, the evaluation and the
 * benchmark. {@link #stop()} and {@link #start()} restart it on the same ports and log directory,
 * so clients reconnect to the same address and find their data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CONTROLLER = "CONTROLLER";

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    /** Port of the SASL_PLAINTEXT listener (PLAIN and SCRAM), 0 = none. */
    private int saslPort;
    private Map<String, String> plainUsers = Map.of();
    private final String clusterId = Uuid.randomUuid().toString();
    private KafkaRaftServer server;
    private boolean formatted;

    private EmbeddedKafka(Path logDir, boolean deleteOnClose, int brokerPort, Map<String, String> overrides) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort == 0 ? freePort() : brokerPort;
        USED_PORTS.add(this.brokerPort);
        this.controllerPort = freePort();
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts a broker on a free port with a temporary log directory deleted on {@link #close()}. */
    public static EmbeddedKafka startTemporary() {
        return startTemporary(0, Map.of());
    }

    /**
     * @param brokerPort 0 for a free port
     * @param overrides  broker settings on top of the defaults (for example a SASL listener)
     */
    public static EmbeddedKafka startTemporary(int brokerPort, Map<String, String> overrides) {
        try {
            EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("twinstream-kafka-"), true,
                    brokerPort, overrides);
            kafka.start();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A broker that also listens with SASL (PLAIN for {@code plainUsers}, and SCRAM-SHA-256/512 for
     * users added with {@link #addScramUser}) on {@link #saslBootstrapServers()}; its own traffic and
     * {@link #admin()} stay on the PLAINTEXT listener.
     */
    public static EmbeddedKafka startWithSasl(Map<String, String> plainUsers) {
        try {
            EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("twinstream-kafka-"), true, 0, Map.of());
            kafka.saslPort = freePort();
            kafka.plainUsers = Map.copyOf(plainUsers);
            kafka.start();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String saslBootstrapServers() {
        if (saslPort == 0) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return "localhost:" + saslPort;
    }

    /** Adds (or updates) a SCRAM-SHA-256 and SCRAM-SHA-512 credential. */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            // one mechanism per request: the broker refuses two changes to one user in a request
            for (var mechanism : List.of(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256,
                    org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                        user, new org.apache.kafka.clients.admin.ScramCredentialInfo(mechanism, 4096), password)))
                        .all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot add SCRAM user " + user, e);
        }
    }

    /** Starts a broker whose data lives in {@code logDir} and survives {@link #close()}. */
    public static EmbeddedKafka startPersistent(Path logDir, int brokerPort) {
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, false, brokerPort, Map.of());
        kafka.start();
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties());
        if (!formatted && !Files.exists(logDir.resolve("meta.properties"))) {
            format();
        }
        formatted = true;
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER + "://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        if (saslPort != 0) {
            p.put("listeners", p.get("listeners") + ",SASL_PLAINTEXT://localhost:" + saslPort);
            p.put("advertised.listeners", p.get("advertised.listeners") + ",SASL_PLAINTEXT://localhost:" + saslPort);
            p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
            p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
            StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            plainUsers.forEach((user, password) -> plain.append(" user_").append(user).append("=\"").append(password).append('"'));
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain.append(';').toString());
            String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
            p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", scram);
            p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram);
        }
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Flink's Kafka sink keeps transactions open for a checkpoint interval and more
        p.put("transaction.max.timeout.ms", String.valueOf(TimeUnit.HOURS.toMillis(1)));
        p.put("log.cleaner.backoff.ms", "1000");
        // replays carry event times from the past: no time-based retention on a test or demo broker
        p.put("log.retention.ms", "-1");
        p.putAll(overrides);
        return p;
    }

    private void format() {
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setClusterId(clusterId)
                    .setNodeId(1)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format KRaft log directory " + logDir, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("broker did not become ready", last);
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** Creates a topic unless it exists, and waits until every partition is online (writable). */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
            }
            // A leader in the metadata is not enough: until the partition is online in the broker's
            // replica manager a produce can fail. An idempotent producer whose first batch fails there
            // while its next batches land gets stuck on OutOfOrderSequence until delivery.timeout.ms,
            // so wait until every partition answers a ListOffsets, which the leader's log serves.
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int i = 0; i < partitions; i++) {
                latest.put(new TopicPartition(name, i), OffsetSpec.latest());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    admin.listOffsets(latest).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) {
                        throw e;
                    }
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("topic " + name + " has partitions that are not online");
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + name, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports given to brokers in this JVM so far. */
    private static final Set<Integer> USED_PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A free port never handed to another broker in this JVM: a client left over from an earlier
     * broker keeps retrying its old address, and a new broker there would take its requests (a new
     * cluster hands out the same producer ids from 0, and their sequence numbers would collide).
     */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                if (USED_PORTS.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no unused free port found");
    }
}
