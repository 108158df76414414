package io.twinstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinstream.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls of Flink's REST API the benchmark reads: vertex metrics and checkpoint statistics. */
final class FlinkRest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    FlinkRest(int port) {
        this.base = "http://localhost:" + port;
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " -> HTTP " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /** Id of the job vertex whose name contains {@code part}. */
    String vertex(String jobId, String part) throws Exception {
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().contains(part)) {
                return v.path("id").asText();
            }
        }
        throw new IllegalStateException("no vertex named *" + part + "* in job " + jobId);
    }

    /** A metric summed over the vertex's subtasks, or -1 while Flink has not fetched it yet. */
    double vertexSum(String jobId, String vertexId, String metric) throws Exception {
        JsonNode n = get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?get=" + metric + "&agg=sum");
        return n.size() == 0 ? -1 : n.get(0).path("sum").asDouble(-1);
    }

    /** The latest completed checkpoint: {@code [id, checkpointed bytes, full state bytes, duration ms]}, or null. */
    long[] latestCheckpoint(String jobId) throws Exception {
        JsonNode c = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        return new long[] {c.path("id").asLong(), c.path("checkpointed_size").asLong(), c.path("state_size").asLong(),
                c.path("end_to_end_duration").asLong()};
    }

    /** End-to-end durations of the job's completed checkpoints (ms), from Flink's checkpoint statistics. */
    Percentiles checkpointDurations(String jobId) throws Exception {
        JsonNode stats = get("/jobs/" + jobId + "/checkpoints");
        JsonNode d = stats.path("summary").path("end_to_end_duration");
        return new Percentiles(stats.path("counts").path("completed").asInt(), d.path("p50").asDouble(Double.NaN),
                d.path("p99").asDouble(Double.NaN), d.path("p999").asDouble(Double.NaN), d.path("max").asDouble(Double.NaN));
    }
}
