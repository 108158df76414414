package io.twinstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;

/** The Flink settings the pipeline runs with, as Flink's own typed options read them. */
class FlinkConfigurationTest {

    @Test
    void kryoIsOffForEveryBackend() {
        assertThat(TwinPipeline.flinkConfiguration(PipelineConfig.defaults()).get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void chainedOperatorsHandOverRecordsWithoutCopies() {
        assertThat(TwinPipeline.flinkConfiguration(PipelineConfig.defaults()).get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(TwinPipeline.flinkConfiguration(PipelineConfig.defaults()
                .withFlinkProperty("pipeline.object-reuse", "false")).get(PipelineOptions.OBJECT_REUSE)).isFalse();
    }

    @Test
    void rocksdbGetsBloomFilters() {
        Configuration c = TwinPipeline.flinkConfiguration(PipelineConfig.defaults().with(Key.STATE_BACKEND, "rocksdb"));
        assertThat(c.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    }

    @Test
    void rocksdbKeepsTimersOnTheHeap() {
        Configuration c = TwinPipeline.flinkConfiguration(PipelineConfig.defaults().with(Key.STATE_BACKEND, "rocksdb"));
        assertThat(c.get(RocksDBOptions.TIMER_SERVICE_FACTORY)).isEqualTo(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
    }

    @Test
    void rocksdbLeavesItsTwoUpperLevelsUncompressed() {
        Configuration c = TwinPipeline.flinkConfiguration(PipelineConfig.defaults().with(Key.STATE_BACKEND, "rocksdb"));
        List<CompressionType> levels = c.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL);
        assertThat(levels).hasSize(7);
        assertThat(levels.subList(0, 2)).containsOnly(CompressionType.NO_COMPRESSION);
        assertThat(levels.subList(2, 7)).containsOnly(CompressionType.LZ4_COMPRESSION);
        assertThat(TwinPipeline.flinkConfiguration(PipelineConfig.defaults().with(Key.STATE_BACKEND, "rocksdb")
                .withFlinkProperty("state.backend.rocksdb.compression.per.level", "SNAPPY_COMPRESSION"))
                .get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL)).containsExactly(CompressionType.SNAPPY_COMPRESSION);
    }

    @Test
    void theHeapBackendGetsNoRocksdbSettings() {
        Configuration c = TwinPipeline.flinkConfiguration(PipelineConfig.defaults().with(Key.STATE_BACKEND, "hashmap"));
        assertThat(c.containsKey(RocksDBConfigurableOptions.USE_BLOOM_FILTER.key())).isFalse();
    }

    @Test
    void aFlinkPassThroughSettingOverridesTheTuning() {
        Configuration c = TwinPipeline.flinkConfiguration(PipelineConfig.defaults().with(Key.STATE_BACKEND, "rocksdb")
                .withFlinkProperty("state.backend.rocksdb.use-bloom-filter", "false"));
        assertThat(c.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
    }
}
