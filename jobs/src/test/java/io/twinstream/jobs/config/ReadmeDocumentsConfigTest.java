package io.twinstream.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration reference (docs/configuration.md) must list every key with its real default. */
class ReadmeDocumentsConfigTest {

    @Test
    void everyKeyAndDefaultIsInTheConfigurationReference() throws Exception {
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (PipelineConfig.Key k : PipelineConfig.Key.values()) {
            assertThat(reference).as(k.name).contains("| `" + k.name + "` | `" + k.defaultValue + "` |");
        }
    }
}
