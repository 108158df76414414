package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.ModelDefinitions;
import io.twinstream.schemas.TwinSnapshot;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/models-and-registry.md, as a user runs it: the demo on a chiller model of their own
 * (docs/examples/chiller.yaml) with a registry (docs/examples/chiller-assets.csv), and {@code models publish}.
 */
class BringYourOwnAssetsTest {
    static final Path EXAMPLES = Path.of("..", "docs", "examples");

    @Test
    void theDemoRunsOnTheUsersChillersWithTheirRegistryNamesAndSites() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // 4 chillers reporting every 5 s: 0.8 readings a second in real time, here 5 times faster
        Map<String, String> generator = Map.of("assets", "4", "asset-types", "CHILLER", "rate", "4",
                "faults-per-asset-hour", "0", "transport-faults", "0");
        Map<String, String> pipeline = Map.of("models", EXAMPLES.resolve("chiller.yaml").toString(),
                "assets", EXAMPLES.resolve("chiller-assets.csv").toString(), "snapshot.min-interval", "1 s");
        try (EmbeddedPipeline demo = new EmbeddedPipeline(pipeline, generator, port, 2)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            // the registry and the readings come from two sources with no common order: a twin's first snapshots may
            // show the generator's site, the one after its entry arrived shows the registry's (reason REGISTRY)
            java.util.function.Predicate<String> registered = id -> demo.view().twin(id) != null
                    && demo.view().twin(id).registry() != null;
            while (!List.of("chiller-00000", "chiller-00001", "chiller-00002", "chiller-00003").stream()
                    .allMatch(registered) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(demo.view().twinCount()).isEqualTo(4);
            TwinSnapshot first = demo.view().twin("chiller-00000");
            assertThat(first.assetType()).isEqualTo("CHILLER");
            assertThat(first.sensors()).containsOnlyKeys("supply_temp_c", "return_temp_c", "condenser_temp_c",
                    "compressor_power_kw", "flow_m3h");
            assertThat(first.registry().displayName()).isEqualTo("Chiller 1 (roof A)");
            assertThat(first.siteId()).as("the registry's site, not the generator's").isEqualTo("campus-north");
            assertThat(demo.view().twin("chiller-00003").siteId()).isEqualTo("campus-south");
            assertThat(demo.view().twin("chiller-00003").registry().tags()).containsExactly("hvac", "spare");
            assertThat(demo.view().deadLetterCount()).isZero();
        }
    }

    @Test
    void modelsPublishWritesEachModelKeyedByItsType() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            kafka.createTopic("my.models", 1, Map.of("cleanup.policy", "compact"));
            PipelineConfig config = PipelineConfig.of(Map.of(Key.BOOTSTRAP_SERVERS.name, kafka.bootstrapServers(),
                    Key.TOPIC_MODELS.name, "my.models"));
            List<AssetModel> models = ModelDefinitions.read(EXAMPLES.resolve("chiller.yaml"));
            DefinitionsCommand.publish(config, "my.models",
                    Map.of("CHILLER", Json.MAPPER.writeValueAsString(models.get(0))));
            var records = TopicReader.readAll(config.kafkaProperties(), "my.models", true);
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(new String(r.key())).isEqualTo("CHILLER");
                // what the job's model source reads back is the same model, schema-checked
                assertThat(ModelDefinitions.parseRecord(r.value())).isEqualTo(models.get(0));
            });
        }
    }
}
