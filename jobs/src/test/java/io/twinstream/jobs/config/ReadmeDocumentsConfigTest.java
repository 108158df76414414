package io.twinstream.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table must list every key with its real default. */
class ReadmeDocumentsConfigTest {

    @Test
    void everyKeyAndDefaultIsInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (PipelineConfig.Key k : PipelineConfig.Key.values()) {
            assertThat(readme).as(k.name).contains("| `" + k.name + "` | `" + k.defaultValue + "` |");
        }
        assertThat(readme).startsWith("# twinstream\n\n```bash\nbin/twinstream demo").contains("\nmvn -B verify ");
    }
}
