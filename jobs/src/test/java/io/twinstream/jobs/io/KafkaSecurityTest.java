package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.faulttolerance.PipelineFixture;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pipeline against a real broker that demands SASL: works with credentials, refused without. */
class KafkaSecurityTest {
    static final String USER = "twin";
    static final String PASSWORD = "pw-" + UUID.randomUUID();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startWithSasl(Map.of(USER, PASSWORD));
        kafka.addScramUser(USER, PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    static Path clientProperties(Path dir, String mechanism, String password) throws Exception {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Properties p = new Properties();
        p.setProperty("security.protocol", "SASL_PLAINTEXT");
        p.setProperty("sasl.mechanism", mechanism);
        p.setProperty("sasl.jaas.config", module + " required username=\"" + USER + "\" password=\"" + password + "\";");
        Path file = dir.resolve("client-" + mechanism + ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    PipelineConfig pipeline(String name, Path credentials) throws Exception {
        return new PipelineFixture(kafka).run(name, name + ".in")
                .with(Key.BOOTSTRAP_SERVERS, kafka.saslBootstrapServers())
                .with(Key.KAFKA_PROPERTIES_FILE, credentials.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
    void thePipelineReadsAndWritesWithCredentials(String mechanism, @TempDir Path dir) throws Exception {
        String name = "sasl-" + mechanism.toLowerCase();
        PipelineConfig c = pipeline(name, clientProperties(dir, mechanism, PASSWORD));
        kafka.createTopic(name + ".in", 4, Map.of());
        Map<String, Object> producer = new HashMap<>();
        c.kafkaProperties().forEach((k, v) -> producer.put(k.toString(), v));
        FleetGenerator generator = new FleetGenerator(PipelineFixture.fleet(3, 8, 5).faultsPerAssetHour(0).build(),
                AssetModels.builtIn());
        try (KafkaRecordSink sink = new KafkaRecordSink(producer, name + ".in", null)) {
            generator.run(sink);
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
        env.execute(name);

        Set<String> assets = TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS), true).stream()
                .map(r -> new String(r.key())).collect(Collectors.toSet());
        assertThat(assets).hasSize(8);
        assertThat(c.describe()).contains(c.get(Key.KAFKA_PROPERTIES_FILE)).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordFailsTheJobWithAnAuthenticationError(@TempDir Path dir) throws Exception {
        PipelineConfig c = pipeline("sasl-wrong", clientProperties(dir, "SCRAM-SHA-512", "not-" + PASSWORD))
                .withFlinkProperty("restart-strategy.type", "none");
        kafka.createTopic("sasl-wrong.in", 4, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
        JobClient job = env.executeAsync("sasl-wrong");
        assertThatThrownBy(() -> job.getJobExecutionResult().get(2, TimeUnit.MINUTES))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, SaslAuthenticationException.class)).isPresent());
    }

    @Test
    void aClientWithoutCredentialsGetsNothingFromTheSaslListener() throws Exception {
        Map<String, Object> plain = Map.of("bootstrap.servers", kafka.saslBootstrapServers(),
                "request.timeout.ms", 3_000, "default.api.timeout.ms", 5_000);
        try (Admin admin = Admin.create(plain)) {
            // the broker closes each connection that does not start with a SASL handshake, so the client never gets an
            // answer and its call times out (default.api.timeout.ms): nothing is served, not even the topic names
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .cause().isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        // the same call with credentials works
        Map<String, Object> withCredentials = new HashMap<>(plain);
        withCredentials.put("security.protocol", "SASL_PLAINTEXT");
        withCredentials.put("sasl.mechanism", "PLAIN");
        withCredentials.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + USER + "\" password=\"" + PASSWORD + "\";");
        try (Admin admin = Admin.create(withCredentials)) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).isNotEmpty();
        }
    }
}
