package io.twinstream.jobs.faulttolerance;

import io.twinstream.generator.GeneratorConfig;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes a savepoint of the pipeline, taken halfway through {@link #input()},
 * to {@code src/test/resources/savepoints/<name>}: the state of this release, for the next releases to
 * restore. Run on demand, before changing a state class:
 * <pre>mvn -pl jobs test -Dtest=RegenerateSavepointFixture -Dtwinstream.savepoint-fixture=NAME</pre>
 */
@EnabledIfSystemProperty(named = "twinstream.savepoint-fixture", matches = ".+")
class RegenerateSavepointFixture {
    static final String TOPIC = "evolution.telemetry";

    /** The input the fixture's job read: the same seed always gives the same records at the same offsets. */
    static GeneratorConfig input() {
        return PipelineFixture.fleet(21, 8, 10).build();
    }

    static PipelineConfig config(PipelineFixture fixture) throws Exception {
        return fixture.run("evolution", TOPIC)
                .with(Key.BOUNDED, "false")
                .with(Key.DELIVERY_GUARANTEE, "at-least-once")
                .with(Key.CHECKPOINT_INTERVAL, "1 s");
    }

    @Test
    void writeSavepoint() throws Exception {
        Path target = Path.of("src/test/resources/savepoints", System.getProperty("twinstream.savepoint-fixture"));
        Path scratch = Files.createTempDirectory("savepoint-");
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            fixture.produce(input(), TOPIC);
            PipelineConfig c = config(fixture);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            TwinPipeline.build(env, c, AssetModels.builtIn(), new KafkaPipelineIo(c, AssetModels.builtIn()));
            JobClient job = env.executeAsync("savepoint-fixture");
            fixture.awaitConsumed(c, 0.5, Duration.ofMinutes(2));
            String savepoint = job.stopWithSavepoint(false, scratch.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(2, TimeUnit.MINUTES);
            Path source = Path.of(java.net.URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
            deleteRecursively(target);
            Files.createDirectories(target);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path to = target.resolve(source.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
            System.out.println("savepoint fixture written to " + target.toAbsolutePath());
        }
    }

    static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
