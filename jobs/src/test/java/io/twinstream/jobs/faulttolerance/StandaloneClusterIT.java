package io.twinstream.jobs.faulttolerance;

import static io.twinstream.jobs.testing.Probes.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Json;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed path: a standalone Flink session cluster as separate JVM processes (JobManager and
 * TaskManager started from Flink's Maven artifacts, no distribution), the shaded job jar uploaded and
 * run through the REST API against the real broker, the TaskManager killed with SIGKILL mid-stream and
 * a new one started; what a read_committed consumer sees must equal a failure-free run.
 */
class StandaloneClusterIT {
    static final Path JOB_JAR = Path.of(System.getProperty("twinstream.job-jar",
            "target/twinstream-jobs-0.1.0-SNAPSHOT-job.jar"));
    static final String[] OPENS = {"java.lang", "java.util", "java.nio", "sun.nio.ch", "java.lang.reflect", "java.io",
            "java.net", "java.time", "java.util.concurrent"};

    final HttpClient http = HttpClient.newHttpClient();
    final List<Process> processes = new ArrayList<>();
    String rest;

    @AfterEach
    void stopCluster() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void theJobJarSubmittedOverRestSurvivesATaskManagerKilledWithSigkill(@TempDir Path dir) throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar (mvn package)").exists();
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            String input = "cluster.in";
            int records = fixture.produce(PipelineFixture.fleet(21, 120, 40).build(), input).size();

            Path conf = writeClusterConfig(dir);
            processes.add(launch("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", conf, dir));
            awaitTaskManagers(0);
            Process taskManager = launch("taskmanager-1", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", conf, dir);
            processes.add(taskManager);
            awaitTaskManagers(1);

            PipelineConfig c = fixture.run("cluster", input)
                    .with(Key.CHECKPOINT_INTERVAL, "500 ms")
                    .with(Key.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
            String jarId = upload(JOB_JAR);
            String jobId = runJar(jarId, c);

            awaitCompletedCheckpoints(jobId, 2);
            assertThat(jobState(jobId)).as("still running when the TaskManager is killed").isEqualTo("RUNNING");
            taskManager.destroyForcibly().waitFor();   // SIGKILL on Linux
            processes.add(launch("taskmanager-2", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", conf, dir));

            String state = awaitTerminal(jobId, Duration.ofMinutes(5));
            assertThat(state).isEqualTo("FINISHED");
            JsonNode exceptions = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
            assertThat(exceptions.size()).as("the job failed over once the TaskManager was gone").isPositive();

            PipelineFixture.Outputs out = fixture.read(c);
            PipelineFixture.Outputs ref = reference(fixture, input);
            assertThat(out.deadLetters()).isEqualTo(ref.deadLetters());
            FaultToleranceTest.assertSameRecords("alerts", out.alerts(), ref.alerts());
            FaultToleranceTest.assertSameRecords("scores", out.scores(), ref.scores());
            FaultToleranceTest.assertSameRecords("snapshots", out.snapshots(), ref.snapshots());
            assertThat(out.size()).isGreaterThan(records / 10);
        }
    }

    static PipelineFixture.Outputs reference(PipelineFixture fixture, String input) throws Exception {
        PipelineConfig c = fixture.run("cluster-reference", input);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
        env.execute("cluster-reference");
        return fixture.read(c);
    }

    Path writeClusterConfig(Path dir) throws Exception {
        int restPort = freePort();
        rest = "http://localhost:" + restPort;
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", String.valueOf(freePort()));
        c.put("jobmanager.bind-host", "localhost");
        c.put("rest.port", String.valueOf(restPort));
        c.put("rest.address", "localhost");
        c.put("taskmanager.host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.numberOfTaskSlots", "2");
        // the distribution's scripts compute these; without them every part is given
        c.put("taskmanager.cpu.cores", "2");
        c.put("taskmanager.memory.task.heap.size", "512m");
        c.put("taskmanager.memory.task.off-heap.size", "0m");
        c.put("taskmanager.memory.framework.heap.size", "128m");
        c.put("taskmanager.memory.framework.off-heap.size", "128m");
        c.put("taskmanager.memory.managed.size", "128m");
        c.put("taskmanager.memory.network.min", "64m");
        c.put("taskmanager.memory.network.max", "64m");
        c.put("taskmanager.memory.jvm-metaspace.size", "256m");
        c.put("taskmanager.memory.jvm-overhead.min", "128m");
        c.put("taskmanager.memory.jvm-overhead.max", "128m");
        // a killed TaskManager refuses connections, so it is declared lost after two failed heartbeat RPCs
        // (heartbeat.rpc-failure-threshold) within seconds; the timeout only covers a live but silent one, and is long
        // enough that several JVMs on two loaded cores do not miss it (each miss would add a restart)
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "20000");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "100");
        c.put("restart-strategy.fixed-delay.delay", "1 s");
        c.put("web.submit.enable", "true");
        c.put("web.upload.dir", dir.resolve("uploads").toString());
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        Files.createDirectories(dir.resolve("uploads"));
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("config.yaml"), c.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(conf.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = file
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = ${sys:log.file}
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1} - %m%n
                """);
        return conf;
    }

    /**
     * Flink's own artifacts only: the test classpath without twinstream, the Kafka connector and the
     * Kafka client, so the job runs from what the uploaded jar brings.
     */
    static String flinkClasspath() {
        String flink = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !p.contains("/io/twinstream/") && !p.contains("/target/") && !p.contains("/org/apache/kafka/")
                        && !p.contains("flink-connector-kafka") && !p.contains("flink-connector-base")
                        && !p.contains("flink-connector-files") && !p.contains("/scala-"))
                .collect(Collectors.joining(File.pathSeparator));
        // the web submission handlers (jar upload and run)
        return flink + File.pathSeparator + System.getProperty("twinstream.cluster-extra-jar",
                "target/cluster-lib/flink-runtime-web.jar");
    }

    Process launch(String name, String mainClass, Path conf, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        for (String p : OPENS) {
            cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
        }
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(flinkClasspath());
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    JsonNode get(String path) throws Exception {
        return ok(path, send(path));
    }

    private static JsonNode ok(String path, HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> send(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(rest + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void awaitTaskManagers(int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = send("/taskmanagers");
                // 503 while the JobManager's REST endpoint waits for its leader election ("Service temporarily
                // unavailable due to an ongoing leader election"); any other answer but 200 fails as in get()
                if (r.statusCode() != 503 && ok("/taskmanagers", r).path("taskmanagers").size() >= n) {
                    return;
                }
            } catch (java.io.IOException notYetUp) {
                // the JobManager is starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the cluster did not reach " + n + " TaskManagers");
    }

    /** POST /jars/upload as multipart/form-data; returns the jar id. */
    String upload(Path jar) throws Exception {
        String boundary = "----twinstream" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, Files.readAllBytes(jar), tail))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String file = Json.MAPPER.readTree(r.body()).path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** POST /jars/:id/run with the pipeline's settings as program arguments; returns the job id. */
    String runJar(String jarId, PipelineConfig c) throws Exception {
        List<String> args = new ArrayList<>();
        for (Key k : Key.values()) {
            args.add("--" + k.name);
            args.add(c.get(k));
        }
        String body = Json.MAPPER.writeValueAsString(Map.of(
                "entryClass", "io.twinstream.jobs.TwinPipelineJob", "programArgsList", args));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rest + "/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).path("jobid").asText();
    }

    String jobState(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    void awaitCompletedCheckpoints(String jobId, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt() >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + n + " completed checkpoints; job is " + jobState(jobId));
    }

    String awaitTerminal(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = jobState(jobId);
            if (List.of("FINISHED", "FAILED", "CANCELED").contains(state)) {
                return state;
            }
            Thread.sleep(500);
        }
        return state;
    }

}
