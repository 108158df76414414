package io.twinstream.jobs;

import static io.twinstream.jobs.testing.Probes.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.faulttolerance.PipelineFixture;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline's metrics, served by Flink's Prometheus reporter when {@code metrics.prometheus-port} is set. */
class MetricsTest {
    static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(Configuration.fromMap(TwinPipeline.flinkConfiguration(PipelineConfig.defaults()
                            .with(Key.PROMETHEUS_PORT, String.valueOf(PORT))).toMap()))
                    .build());

    @Test
    void prometheusServesTwinstreamCountersAndFleetGauges() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            java.util.List<io.twinstream.generator.GeneratedRecord> records = fixture.produce(PipelineFixture.fleet(5, 12, 10)
                    .durationMs(600_000).ratePerSecond(0).faultsPerAssetHour(0).allTransportFaults(0.01).build(), "metrics.in");
            int produced = records.size();
            // what each counter must read, from the generator's own record of what it sent
            long accepted = records.stream().filter(io.twinstream.generator.GeneratedRecord::acceptedByTwin).count();
            java.util.Map<io.twinstream.generator.TransportFault, Long> faults = records.stream()
                    .filter(r -> r.transport() != null)
                    .collect(java.util.stream.Collectors.groupingBy(io.twinstream.generator.GeneratedRecord::transport,
                            java.util.stream.Collectors.counting()));
            long rejectedWithReason = faults.getOrDefault(io.twinstream.generator.TransportFault.MALFORMED_JSON, 0L)
                    + faults.getOrDefault(io.twinstream.generator.TransportFault.SCHEMA_VIOLATION, 0L)
                    + faults.getOrDefault(io.twinstream.generator.TransportFault.UNKNOWN_ASSET_TYPE, 0L);
            PipelineConfig c = fixture.run("metrics", "metrics.in").with(Key.BOUNDED, "false");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
            JobClient job = env.executeAsync("metrics");
            fixture.awaitConsumed(c, 1.0, Duration.ofMinutes(2));

            String metrics = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && (value(metrics, "twinstream_assetsOnline") < 12
                    || value(metrics, "twinstream_telemetryRecordsIn") < produced
                    || value(metrics, "twinstream_readingsAccepted") < accepted)) {
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + PORT + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(500);
            }
            job.cancel().get();
            assertThat(value(metrics, "twinstream_telemetryRecordsIn")).isEqualTo(produced);
            assertThat(faults).containsKeys(io.twinstream.generator.TransportFault.values());
            assertThat(value(metrics, "twinstream_readingsAccepted")).isEqualTo((double) accepted);
            assertThat(value(metrics, "twinstream_duplicatesDropped"))
                    .isEqualTo(faults.get(io.twinstream.generator.TransportFault.DUPLICATE).doubleValue());
            assertThat(value(metrics, "twinstream_lateRecords")).isEqualTo(faults.get(io.twinstream.generator.TransportFault.LATE).doubleValue());
            assertThat(value(metrics, "twinstream_reason_deadLetters")).isEqualTo((double) rejectedWithReason);
            assertThat(metrics).contains("reason=\"MALFORMED_JSON\"");
            assertThat(value(metrics, "twinstream_assetsOnline")).isEqualTo(12);
            assertThat(metrics).contains("twinstream_assetsStale", "twinstream_assetsOffline", "twinstream_alertsOpen");
            // each of the 12 online assets waits for its next liveness check, window closing or snapshot flush
            assertThat(value(metrics, "twinstream_scheduledWakeUps")).isEqualTo(12);
        }
    }

    /** Sum over all series (subtasks, labels) of the metric whose name ends with {@code suffix}. */
    static double value(String metrics, String suffix) {
        Matcher m = Pattern.compile("(?m)^\\w*" + suffix + "\\{[^}]*\\} ([0-9.eE+-]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
