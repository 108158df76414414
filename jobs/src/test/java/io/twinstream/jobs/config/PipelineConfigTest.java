package io.twinstream.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinstream.jobs.config.PipelineConfig.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {

    @Test
    void defaultsParse() {
        PipelineConfig c = PipelineConfig.defaults();
        // every duration default parses as one (the docs table is checked against the keys by ReadmeDocumentsConfigTest)
        for (Key k : Key.values()) {
            if (k.defaultValue.matches("0 (ms|s|min|h|d)")) {
                assertThat(c.millis(k)).as(k.name).isZero(); // history.min-interval: 0 = every snapshot
            } else if (k.defaultValue.matches("\\d+ (ms|s|min|h|d)")) {
                assertThat(c.millis(k)).as(k.name).isPositive();
            }
        }
        // the defaults the guarantees rest on, written out here rather than read back from the enum
        assertThat(c.millis(Key.MAX_OUT_OF_ORDERNESS)).isEqualTo(5_000);
        assertThat(c.millis(Key.CHECKPOINT_INTERVAL)).isEqualTo(10_000);
        assertThat(c.get(Key.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(c.get(Key.UNKNOWN_TYPE)).isEqualTo("reject");
        assertThat(c.get(Key.MODELS_PATH)).isEmpty();
        assertThat(c.millis(Key.ALLOWED_LATENESS)).isEqualTo(15_000);
        assertThat(c.millis(Key.STATE_TTL)).isEqualTo(7 * 24 * 3_600_000L);
        assertThat(c.exactlyOnce()).isTrue();
    }

    @Test
    void fileThenEnvironmentThenArgumentsWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("twinstream.yaml");
        Files.writeString(file, """
                topics.telemetry: "from-file"
                topics.alerts: from-file
                event-time.idle-timeout: 1 min
                kafka.properties.security.protocol: SASL_SSL
                kafka.properties.sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2";
                """);
        PipelineConfig c = PipelineConfig.fromArgs(
                new String[] {"--config", file.toString(), "--topics.telemetry", "from-args"},
                Map.of("TWINSTREAM_TOPICS_ALERTS", "from-env"));
        assertThat(c.get(Key.TOPIC_TELEMETRY)).isEqualTo("from-args");
        assertThat(c.get(Key.TOPIC_ALERTS)).isEqualTo("from-env");
        assertThat(c.millis(Key.IDLE_TIMEOUT)).isEqualTo(60_000);
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.describe()).doesNotContain("hunter2").contains("sasl.jaas.config = ******");
    }

    @Test
    void unknownKeysAreAnError() {
        assertThatThrownBy(() -> PipelineConfig.of(Map.of("topic.telemetry", "typo")))
                .hasMessageContaining("topic.telemetry");
    }
}
