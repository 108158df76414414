package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first README command's engine: broker, generator, MiniCluster with web UI, live view. */
class EmbeddedPipelineTest {

    @Test
    void showsEveryTwinOnlineAndServesTheFlinkWebUi() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // about 55 times faster than real time, so baselines warm up and faults show within seconds
        Map<String, String> generator = Map.of("assets", "24", "rate", "1000", "faults-per-asset-hour", "20",
                "fault-warmup", "3m", "fault-kinds", "SPIKE,STUCK,DROPOUT", "transport-faults", "0.02");
        try (EmbeddedPipeline pipeline = new EmbeddedPipeline(Map.of("snapshot.min-interval", "1 s"), generator,
                port, 2)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (pipeline.view().twinCount() < 24 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(pipeline.view().twinCount()).isEqualTo(24);
            while ((pipeline.view().deadLetterCount() == 0 || pipeline.view().alertsOpened() == 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(pipeline.view().deadLetterCount()).isPositive();
            assertThat(pipeline.view().alertsOpened()).isPositive();
            assertThat(pipeline.view().statusCounts().get(AssetStatus.ONLINE)).isGreaterThanOrEqualTo(20L);
            // the demo's operator sets a desired value every 20 s: its command reaches the simulated devices
            long commandDeadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (pipeline.devices().received() == 0 && System.nanoTime() < commandDeadline) {
                Thread.sleep(500);
            }
            assertThat(pipeline.devices().received()).as("commands read from the commands topic").isPositive();
            String frame = pipeline.view().render(pipeline.header());
            assertThat(frame).contains("twins: 24", "Flink web UI http://localhost:" + port, "latest snapshots",
                    "open alerts:");
            // which alerts are open at this instant depends on timing; LiveViewTest checks how they are rendered

            HttpResponse<String> overview = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(pipeline.webUrl() + "/jobs/overview")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(overview.statusCode()).isEqualTo(200);
            JsonNode jobs = Json.MAPPER.readTree(overview.body()).get("jobs");
            assertThat(jobs).hasSize(1);
            assertThat(jobs.get(0).get("name").asText()).isEqualTo("twinstream-pipeline");
            assertThat(jobs.get(0).get("state").asText()).isEqualTo("RUNNING");
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(pipeline.webUrl() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<html");
        }
    }
}
