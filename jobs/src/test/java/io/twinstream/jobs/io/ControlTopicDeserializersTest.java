package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every record of the models and registry topics becomes a checked definition or a dead letter that says why. */
class ControlTopicDeserializersTest {
    static final String MODEL = "{\"type\":\"CHILLER\",\"samplingIntervalMs\":5000,"
            + "\"sensors\":[{\"name\":\"supply_temp_c\",\"unit\":\"degC\",\"min\":-5,\"max\":30}]}";
    static final String ENTRY = "{\"assetId\":\"ch-1\",\"assetType\":\"CHILLER\",\"siteId\":\"plant-a\"}";

    static ConsumerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ConsumerRecord<>(topic, 0, 7, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static <T> List<T> collect(java.util.function.Consumer<Collector<T>> run) {
        List<T> out = new ArrayList<>();
        run.accept(new Collector<>() {
            @Override
            public void collect(T t) {
                out.add(t);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void aValidModelKeyedByItsTypePassesAsItsJson() {
        List<ModelRecord> out = collect(c -> new ModelDeserializer().deserialize(record("twin.models", "CHILLER", MODEL), c));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.isValid()).isTrue();
            assertThat(r.json()).isEqualTo(MODEL);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "broken JSON     | CHILLER | {\"type\": | not valid JSON",
        "schema          | CHILLER | {\"type\":\"CHILLER\",\"samplingIntervalMs\":0,\"sensors\":[]} | model 'CHILLER': samplingIntervalMs",
        "range           | CHILLER | {\"type\":\"CHILLER\",\"samplingIntervalMs\":5,\"sensors\":[{\"name\":\"a\",\"unit\":\"u\",\"min\":3,\"max\":1}]} | sensors[0] ('a').max: must be greater than min",
        "key not type    | PUMP    | " + "{\"type\":\"CHILLER\",\"samplingIntervalMs\":5000,\"sensors\":[{\"name\":\"a\",\"unit\":\"u\",\"min\":0,\"max\":1}]} | record key 'PUMP' is not the model's type 'CHILLER'",
    })
    void aBadModelRecordIsADeadLetterWithItsReason(String name, String key, String value, String reason) {
        List<ModelRecord> out = collect(c -> new ModelDeserializer().deserialize(record("twin.models", key, value), c));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.isValid()).isFalse();
            assertThat(r.rejected().reasonCode()).isEqualTo(RejectReason.INVALID_MODEL);
            assertThat(r.rejected().reason()).contains(reason);
            assertThat(r.rejected().sourceOffset()).isEqualTo(7);
            assertThat(r.rejected().payload()).isEqualTo(value);
        });
    }

    @Test
    void aModelTombstoneIsRefused() {
        List<ModelRecord> out = collect(c -> new ModelDeserializer().deserialize(record("twin.models", "CHILLER", null), c));
        assertThat(out).singleElement().satisfies(r -> assertThat(r.rejected().reason()).contains("cannot be removed"));
    }

    @Test
    void registryEntriesTombstonesAndBadEntries() {
        RegistryDeserializer d = new RegistryDeserializer();
        assertThat(ControlTopicDeserializersTest.<Ingested>collect(c -> d.deserialize(record("twin.assets", "ch-1", ENTRY), c))).singleElement()
                .satisfies(in -> {
                    assertThat(in.isRegistration()).isTrue();
                    assertThat(in.assetId()).isEqualTo("ch-1");
                    assertThat(in.registration()).isEqualTo(ENTRY);
                });
        assertThat(ControlTopicDeserializersTest.<Ingested>collect(c -> d.deserialize(record("twin.assets", "ch-1", null), c))).singleElement()
                .satisfies(in -> assertThat(in.registration()).as("a removal").isEmpty());
        for (String[] bad : new String[][] {
                {"ch-2", ENTRY, "record key 'ch-2' is not the entry's assetId 'ch-1'"},
                {"ch-1", "{\"assetId\":\"ch-1\"}", "asset 'ch-1': required property 'assetType' not found"},
                {null, ENTRY, "a registry record needs the assetId as its key"},
                {"ch-1", "[1,2", "not valid JSON"}}) {
            assertThat(ControlTopicDeserializersTest.<Ingested>collect(c -> d.deserialize(record("twin.assets", bad[0], bad[1]), c))).singleElement()
                    .satisfies(in -> {
                        assertThat(in.isValid()).isFalse();
                        assertThat(in.rejected().reasonCode()).isEqualTo(RejectReason.INVALID_REGISTRY_ENTRY);
                        assertThat(in.rejected().reason()).contains(bad[2]);
                    });
        }
    }
}
