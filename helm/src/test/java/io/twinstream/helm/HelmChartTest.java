package io.twinstream.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** helm lint and helm template (the real helm, bundled by helm-java) over the chart with several value sets. */
class HelmChartTest {
    static final Path CHART = Path.of("twinstream");
    static final Path VALUES = Path.of("src/test/resources/values");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws Exception {
        String out = values.apply(new Helm(CHART).template().withName("fleet").withNamespace("twins").withKubeVersion("1.30.0")).call();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(out)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    /** The job's --key value arguments as a map. */
    static Map<String, String> args(JsonNode deployment) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode a = deployment.path("spec").path("job").path("args");
        for (int i = 0; i + 1 < a.size(); i += 2) {
            m.put(a.get(i).asText().substring(2), a.get(i + 1).asText());
        }
        return m;
    }

    @Test
    void lintPassesStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultValuesDeployTheJobInApplicationModeWithHaAndSavepointUpgrades() throws Exception {
        List<JsonNode> docs = render(t -> t);
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("FlinkDeployment");
        JsonNode fd = docs.get(0);
        JsonNode spec = fd.path("spec");
        assertThat(fd.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(spec.path("job").path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/twinstream-job.jar");
        assertThat(spec.path("job").path("entryClass").asText()).isEqualTo("io.twinstream.jobs.TwinPipelineJob");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.path("job").path("parallelism").asInt()).isEqualTo(2);
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).isEqualTo("s3://twinstream/ha");
        assertThat(conf.path("execution.checkpointing.dir").asText()).isEqualTo("s3://twinstream/checkpoints");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).isEqualTo("s3://twinstream/savepoints");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("metrics.reporter.prom.port").asText()).isEqualTo("9249");
        assertThat(conf.path("env.java.opts.taskmanager").asText()).isEqualTo("-XX:+AlwaysPreTouch");
        assertThat(spec.path("taskManager").path("resource").path("memory").asText()).isEqualTo("4096m");

        Map<String, String> args = args(fd);
        assertThat(args).containsEntry("kafka.bootstrap-servers", "my-cluster-kafka-bootstrap:9092")
                .containsEntry("topics.snapshots", "twin.snapshots")
                .containsEntry("topics.dead-letter", "telemetry.dlq")
                .containsEntry("checkpoint.dir", "s3://twinstream/checkpoints")
                .containsEntry("state.backend", "rocksdb")
                .containsEntry("checkpoint.incremental", "true")
                .containsEntry("sink.delivery-guarantee", "exactly-once")
                .containsEntry("sink.transactional-id-prefix", "fleet")
                .containsEntry("pipeline.parallelism", "2")
                .doesNotContainKeys("kafka.properties-file", "kafka.properties.security.protocol");
        JsonNode container = spec.path("podTemplate").path("spec").path("containers").get(0);
        assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
        assertThat(container.path("ports").get(0).path("name").asText()).isEqualTo("metrics");
        assertThat(container.path("volumeMounts").isMissingNode()).isTrue();
    }

    @Test
    void saslScramCredentialsComeFromTheSecretAndAreNeverInTheManifest() throws Exception {
        List<JsonNode> docs = render(t -> t.withValuesFile(VALUES.resolve("secure-production.yaml")));
        JsonNode fd = ofKind(docs, "FlinkDeployment").get(0);
        Map<String, String> args = args(fd);
        assertThat(args).containsEntry("kafka.properties.security.protocol", "SASL_SSL")
                .containsEntry("kafka.properties.sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("kafka.properties-file", "/opt/twinstream/kafka/client.properties")
                .containsEntry("kafka.bootstrap-servers", "kafka-0.kafka:9093,kafka-1.kafka:9093")
                .containsEntry("event-time.max-out-of-orderness", "2 s")
                .containsEntry("twin.state-ttl", "30 d")
                .containsEntry("pipeline.parallelism", "12")
                .containsEntry("checkpoint.interval", "30 s");
        JsonNode pod = fd.path("spec").path("podTemplate").path("spec");
        assertThat(pod.path("volumes").get(0).path("secret").path("secretName").asText()).isEqualTo("twinstream-kafka");
        assertThat(pod.path("containers").get(0).path("volumeMounts").get(0).path("mountPath").asText())
                .isEqualTo("/opt/twinstream/kafka");
        assertThat(fd.path("spec").path("jobManager").path("replicas").asInt()).isEqualTo(2);
        assertThat(fd.path("spec").path("job").path("upgradeMode").asText()).isEqualTo("last-state");
        assertThat(fd.path("spec").path("flinkConfiguration").path("s3.endpoint").asText()).isEqualTo("http://minio:9000");
        assertThat(docs.toString()).doesNotContainIgnoringCase("password").doesNotContain("jaas");
    }

    @Test
    void optionalTopicsPodMonitorAndGenerator() throws Exception {
        List<JsonNode> docs = render(t -> t.withValuesFile(VALUES.resolve("demo-everything.yaml")));
        List<JsonNode> topics = ofKind(docs, "KafkaTopic");
        assertThat(topics).extracting(t -> t.path("spec").path("topicName").asText())
                .containsExactlyInAnyOrder("telemetry.raw", "twin.snapshots", "twin.alerts", "twin.scores", "telemetry.dlq",
                        "twin.models", "twin.assets");
        assertThat(topics).allSatisfy(t -> {
            // Strimzi's CRD serves KafkaTopic only as v1 since its 1.0 release
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
            assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("demo");
            // the models topic has one partition: its records keep their order
            assertThat(t.path("spec").path("partitions").asInt())
                    .isEqualTo(t.path("spec").path("topicName").asText().equals("twin.models") ? 1 : 4);
        });
        for (String compacted : List.of("twin.models", "twin.assets")) {
            assertThat(topics.stream().filter(t -> t.path("spec").path("topicName").asText().equals(compacted))
                    .findFirst().orElseThrow().path("spec").path("config").path("cleanup.policy").asText())
                    .isEqualTo("compact");
        }
        JsonNode snapshots = topics.stream().filter(t -> t.path("spec").path("topicName").asText().equals("twin.snapshots"))
                .findFirst().orElseThrow();
        assertThat(snapshots.path("spec").path("config").path("cleanup.policy").asText()).isEqualTo("compact");

        JsonNode monitor = ofKind(docs, "PodMonitor").get(0);
        assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
        assertThat(monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("metrics");

        JsonNode generator = ofKind(docs, "Deployment").get(0);
        List<String> gargs = new ArrayList<>();
        generator.path("spec").path("template").path("spec").path("containers").get(0).path("args")
                .forEach(a -> gargs.add(a.asText()));
        assertThat(String.join(" ", gargs)).contains("--out kafka", "--assets 500", "--rate 2000", "--topic telemetry.raw");

        JsonNode fd = ofKind(docs, "FlinkDeployment").get(0);
        assertThat(fd.path("spec").path("flinkConfiguration").has("high-availability.type")).isFalse();
        assertThat(args(fd)).containsEntry("sink.delivery-guarantee", "at-least-once").containsEntry("state.backend", "hashmap");
    }

    /** The rule file and the dashboard the chart ships are the ones PrometheusRulesTest checks against Prometheus. */
    @Test
    void prometheusRuleAndGrafanaDashboardShipTheCheckedFiles() throws Exception {
        assertThat(ofKind(render(t -> t), "PrometheusRule")).as("off by default").isEmpty();
        List<JsonNode> docs = render(t -> t.set("metrics.prometheusRule.enabled", true)
                .set("metrics.prometheusRule.labels.release", "prometheus")
                .set("metrics.grafanaDashboard.enabled", true));
        JsonNode rule = ofKind(docs, "PrometheusRule").get(0);
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
        assertThat(rule.path("spec")).isEqualTo(YAML.readTree(CHART.resolve("files/prometheus-rules.yaml").toFile()));
        assertThat(rule.path("spec").path("groups").get(0).path("rules").size()).isGreaterThanOrEqualTo(6);

        JsonNode dashboard = ofKind(docs, "ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().endsWith("-dashboard")).findFirst().orElseThrow();
        assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        JsonNode json = new ObjectMapper().readTree(dashboard.path("data").path("twinstream-pipeline.json").asText());
        assertThat(json).isEqualTo(new ObjectMapper().readTree(CHART.resolve("files/grafana-dashboard.json").toFile()));
        assertThat(json.path("panels").size()).isEqualTo(8);
    }

    @Test
    void invalidValuesAreRejectedBeforeAnythingIsDeployed() {
        assertThatThrownBy(() -> render(t -> t.set("job.parallelism", 0))).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> render(t -> t.set("job.upgradeMode", "yolo"))).hasMessageContaining("upgradeMode");
        assertThatThrownBy(() -> render(t -> t.set("kafka.securityProtocol", "SASL_SSL").set("kafka.saslMechanism", "PLAIN")))
                .hasMessageContaining("credentialsSecret");
        assertThatThrownBy(() -> render(t -> t.set("highAvailability.enabled", false).set("job.upgradeMode", "last-state")))
                .hasMessageContaining("highAvailability");
        assertThatThrownBy(() -> render(t -> t.set("kafka.topics.alerts", "bad topic!"))).hasMessageContaining("alerts");
    }
}
