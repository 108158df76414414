package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AssetModels;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The producer settings every sink gets (the end-to-end tests write through them to the real broker). */
class KafkaPipelineIoTest {

    @Test
    void sinksBatchAndCompressByDefault() {
        Properties p = new KafkaPipelineIo(PipelineConfig.defaults(), AssetModels.builtIn()).producerProperties();
        assertThat(p).containsEntry("linger.ms", "10").containsEntry("batch.size", "262144")
                .containsEntry("compression.type", "lz4").containsEntry("transaction.timeout.ms", "600000");
    }

    @Test
    void aKafkaPropertiesSettingOverridesTheDefault() {
        PipelineConfig config = PipelineConfig.defaults()
                .withKafkaProperty("compression.type", "none")
                .withKafkaProperty("linger.ms", "0");
        Properties p = new KafkaPipelineIo(config, AssetModels.builtIn()).producerProperties();
        assertThat(p).containsEntry("compression.type", "none").containsEntry("linger.ms", "0")
                .containsEntry("batch.size", "262144");
    }
}
