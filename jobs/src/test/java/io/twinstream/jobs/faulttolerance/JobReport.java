package io.twinstream.jobs.faulttolerance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinstream.jobs.testing.Probes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * What a MiniCluster's REST API says of a job: its tasks' states and its exception history. Tests that
 * stop a job print it, so a failure in CI (where only the tail of the log is kept) says why.
 */
final class JobReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    JobReport(MiniClusterExtension flink, JobID job) {
        Configuration c = flink.getClientConfiguration();
        this.base = "http://" + c.get(RestOptions.ADDRESS) + ":" + c.get(RestOptions.PORT) + "/jobs/" + job;
    }

    static JobReport of(MiniClusterExtension flink, JobClient job) {
        return new JobReport(flink, job.getJobID());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * What keeps the job from taking a savepoint: a job state other than RUNNING, or the name and state
     * of every task that is neither RUNNING nor FINISHED. Empty when there is nothing.
     */
    List<String> notRunning() throws Exception {
        JsonNode job = get("");
        List<String> out = new ArrayList<>();
        if (!job.path("state").asText().equals("RUNNING") || job.path("vertices").isEmpty()) {
            out.add("job=" + job.path("state").asText("unknown"));
        }
        for (JsonNode v : job.path("vertices")) {
            // subtasks per state: a vertex's aggregate status can say RUNNING while one subtask deploys
            if (!v.path("tasks").isObject()) {
                out.add(v.path("name").asText() + ": no subtask counts in " + v);
            }
            v.path("tasks").properties().forEach(e -> {
                if (e.getValue().asInt() > 0 && !e.getKey().equals("RUNNING") && !e.getKey().equals("FINISHED")) {
                    out.add(v.path("name").asText() + ": " + e.getValue().asInt() + " " + e.getKey());
                }
            });
        }
        return out;
    }

    /**
     * The sum over all subtasks of the metric whose id ends with {@code suffix}, for every vertex whose name contains
     * {@code vertex} (ids as the REST API lists them, e.g. {@code ...KafkaSourceReader.KafkaConsumer.connection-close-total});
     * -1 if no such metric is registered yet.
     */
    double subtaskMetricSum(String vertex, String suffix) throws Exception {
        double total = -1;
        for (JsonNode v : get("").path("vertices")) {
            if (!v.path("name").asText().contains(vertex)) {
                continue;
            }
            String path = "/vertices/" + v.path("id").asText() + "/subtasks/metrics";
            for (JsonNode m : get(path)) {
                String id = m.path("id").asText();
                if (!id.endsWith(suffix)) {
                    continue;
                }
                for (JsonNode agg : get(path + "?get=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                        + "&agg=sum")) {
                    total = Math.max(total, 0) + agg.path("sum").asDouble();
                }
            }
        }
        return total;
    }

    /** The root exceptions of the job's failovers, newest first: empty for a job that never failed. */
    List<String> failovers() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : get("/exceptions?maxExceptions=10").path("exceptionHistory").path("entries")) {
            String trace = e.path("stacktrace").asText();
            String firstLines = String.join(" | ", trace.lines().limit(3).toList());
            out.add(e.path("taskName").asText("(job)") + ": " + firstLines);
        }
        return out;
    }

    /** Waits until every task is RUNNING or FINISHED (a savepoint is refused otherwise), at most {@code timeout}. */
    void awaitAllRunning(Duration timeout) throws Exception {
        try {
            Probes.await("every task to run", timeout, Duration.ofMillis(200), () -> notRunning().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError("tasks still not running after " + timeout + ": " + notRunning() + "; failovers: "
                    + failovers(), e);
        }
    }

    /**
     * Stops the job with a savepoint once all its tasks run. Flink refuses a savepoint while a task is
     * still being deployed, as after a failover, so a refusal for that reason is retried (up to three
     * times). The job's failovers, if any, are printed where CI's log summary finds them.
     */
    static String stopWithSavepoint(MiniClusterExtension flink, JobClient job, java.nio.file.Path dir, boolean drain)
            throws Exception {
        JobReport report = of(flink, job);
        for (int attempt = 1; ; attempt++) {
            report.awaitAllRunning(Duration.ofMinutes(2));
            List<String> failovers = report.failovers();
            if (!failovers.isEmpty()) {
                System.out.println("DIAGNOSTIC job " + job.getJobID() + " failed over before its savepoint: " + failovers);
            }
            try {
                return job.stopWithSavepoint(drain, dir.toUri().toString(),
                        org.apache.flink.core.execution.SavepointFormatType.CANONICAL)
                        .get(2, java.util.concurrent.TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                boolean notRunning = org.apache.flink.util.ExceptionUtils.findThrowable(e,
                        org.apache.flink.runtime.checkpoint.CheckpointException.class)
                        .map(c -> c.getCheckpointFailureReason()
                                == org.apache.flink.runtime.checkpoint.CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING)
                        .orElse(false);
                if (!notRunning || attempt == 3) {
                    throw new AssertionError("stop-with-savepoint failed; tasks not running: " + report.notRunning()
                            + "; failovers: " + report.failovers(), e);
                }
                System.out.println("DIAGNOSTIC stop-with-savepoint refused, a task was not running: " + e.getMessage());
            }
        }
    }
}
