package io.twinstream.jobs.oncall;

import static io.twinstream.jobs.testing.Probes.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.faulttolerance.PipelineFixture;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart's alerting rules and Grafana dashboard against a real Prometheus (the Debian package's server)
 * scraping a running pipeline: promtool accepts the rules, every metric they and the dashboard name is in the scrape,
 * every rule evaluates without error, and every dashboard query runs and returns series.
 */
class PrometheusRulesTest {
    static final Path RULES = Path.of("../helm/twinstream/files/prometheus-rules.yaml");
    static final Path DASHBOARD = Path.of("../helm/twinstream/files/grafana-dashboard.json");
    static final int METRICS_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(Configuration.fromMap(TwinPipeline.flinkConfiguration(PipelineConfig.defaults()
                            .with(Key.PROMETHEUS_PORT, String.valueOf(METRICS_PORT))).toMap()))
                    .build());

    final HttpClient http = HttpClient.newHttpClient();
    String prometheus;

    @Test
    void rulesAndDashboardNameRealMetricsAndEvaluateCleanly(@TempDir Path dir) throws Exception {
        Path server = DebianTool.require("prometheus", "prometheus");
        Path promtool = DebianTool.require("promtool", "prometheus");
        Process check = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString())
                .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(checked).isZero();

        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            fixture.produce(PipelineFixture.fleet(3, 12, 20).faultsPerAssetHour(6).allTransportFaults(0.02).build(),
                    "rules.in");
            PipelineConfig c = fixture.run("rules", "rules.in").with(Key.BOUNDED, "false")
                    .with(Key.CHECKPOINT_INTERVAL, "1 s");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            TwinPipeline.build(env, c, c.models(), new KafkaPipelineIo(c));
            JobClient job = env.executeAsync("twinstream-pipeline");
            Process p = startPrometheus(server, dir);
            try {
                Set<String> names = new TreeSet<>();
                names.addAll(metricNames(Files.readString(RULES)));
                List<String> panels = dashboardQueries();
                panels.forEach(q -> names.addAll(metricNames(q)));
                assertThat(names).as("the rules and the dashboard name Flink metrics").hasSizeGreaterThan(8);
                for (String name : names) {
                    await("series of " + name + " in Prometheus", () -> !query("count(" + name + ")").isEmpty());
                }
                JsonNode rules = await("every rule evaluated", () -> {
                    JsonNode all = get("/api/v1/rules").path("data").path("groups");
                    for (JsonNode g : all) {
                        for (JsonNode r : g.path("rules")) {
                            if (r.path("lastEvaluation").asText().startsWith("0001")) {
                                return null;
                            }
                        }
                    }
                    return all.isEmpty() ? null : all;
                });
                int count = 0;
                for (JsonNode g : rules) {
                    for (JsonNode r : g.path("rules")) {
                        assertThat(r.path("health").asText()).as(r.path("name").asText() + ": "
                                + r.path("lastError").asText()).isEqualTo("ok");
                        count++;
                    }
                }
                assertThat(count).isEqualTo(Pattern.compile("(?m)^\\s+- alert: ").matcher(Files.readString(RULES))
                        .results().count());
                for (String q : panels) { // a rate needs two scrapes of a series: wait for them
                    await("dashboard query returns series: " + q, () -> !query(q).isEmpty());
                }
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                job.cancel().get();
            }
        }
    }

    Process startPrometheus(Path server, Path dir) throws Exception {
        int port = freePort();
        Path rules = dir.resolve("rules.yaml");
        Files.copy(RULES, rules);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: twinstream
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(rules, METRICS_PORT));
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(server.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        prometheus = "http://127.0.0.1:" + port;
        await("Prometheus ready", () -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("Prometheus stopped:\n" + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(prometheus + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return p;
    }

    /** The result of an instant query; fails the test if Prometheus refuses the query. */
    List<JsonNode> query(String promql) throws Exception {
        JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(r.path("status").asText()).as(promql + ": " + r.path("error").asText()).isEqualTo("success");
        List<JsonNode> out = new ArrayList<>();
        r.path("data").path("result").forEach(out::add);
        return out;
    }

    JsonNode get(String path) throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(prometheus + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static List<String> dashboardQueries() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : Json.MAPPER.readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        return out;
    }

    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\bflink_[A-Za-z0-9_]+").matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    static <T> T await(String what, java.util.concurrent.Callable<T> probe) throws Exception {
        return io.twinstream.jobs.testing.Probes.await(what, Duration.ofSeconds(90), Duration.ofMillis(250), probe);
    }
}
