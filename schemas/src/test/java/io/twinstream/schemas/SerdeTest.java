package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.twinstream.schemas.flink.JsonDeserialization;
import io.twinstream.schemas.flink.JsonSerialization;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SerdeTest {

    static final Telemetry READING = new Telemetry(1, "pump-1:7", "pump-1", "INDUSTRIAL_PUMP", "site-a",
            1_763_884_800_000L, 7, Map.of("flow_m3h", 210.5, "vibration_mm_s", 2.25));

    @Test
    void flinkAdaptersRoundTripTelemetry() throws Exception {
        byte[] bytes = new JsonSerialization<>(Telemetry.class).serialize(READING);
        Telemetry back = new JsonDeserialization<>(Telemetry.class).deserialize(bytes);
        assertThat(back).isEqualTo(READING);
    }

    /** A record that fails halfway must not leave its half in the schema's reused generator for the next one. */
    @Test
    void aRecordThatFailsToSerializeLeavesNothingBehind() {
        JsonSerialization<Flaky> schema = new JsonSerialization<>(Flaky.class);
        assertThat(new String(schema.serialize(new Flaky("a", false, "b")))).isEqualTo("{\"first\":\"a\",\"second\":\"b\"}");
        assertThatThrownBy(() -> schema.serialize(new Flaky("c", true, "d"))).isInstanceOf(IllegalStateException.class);
        assertThat(new String(schema.serialize(new Flaky("e", false, "f")))).isEqualTo("{\"first\":\"e\",\"second\":\"f\"}");
    }

    /** Fails after its first field is written. */
    record Flaky(String first, @com.fasterxml.jackson.annotation.JsonIgnore boolean fail, String second) {
        @Override
        public String second() {
            if (fail) {
                throw new IllegalArgumentException("cannot write this one");
            }
            return second;
        }
    }

    @Test
    void missingPrimitiveIsAnErrorNotAZero() {
        String noTimestamp = "{\"schemaVersion\":1,\"eventId\":\"e\",\"assetId\":\"a\",\"assetType\":\"T\","
                + "\"siteId\":\"s\",\"seq\":1,\"readings\":{\"x\":1.0}}";
        assertThatThrownBy(() -> Json.MAPPER.readValue(noTimestamp, Telemetry.class))
                .isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("timestamp");
    }

    @Test
    void stringIsNotCoercedToNumber() {
        String quoted = "{\"schemaVersion\":1,\"eventId\":\"e\",\"assetId\":\"a\",\"assetType\":\"T\","
                + "\"siteId\":\"s\",\"timestamp\":1,\"seq\":1,\"readings\":{\"x\":\"1.5\"}}";
        assertThatThrownBy(() -> Json.MAPPER.readValue(quoted, Telemetry.class))
                .isInstanceOf(MismatchedInputException.class);
    }

    /** Records cross the network between Flink operators and sit in state: no Kryo fallback allowed. */
    @ParameterizedTest
    @ValueSource(classes = {Telemetry.class, TwinSnapshot.class, DeadLetter.class, SensorState.class,
            AnomalyScore.class, Alert.class, SensorScore.class})
    void flinkSerializesRecordsWithoutKryo(Class<?> type) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<?> serializer = info.createSerializer(config);
        assertThat(serializer).isNotInstanceOf(KryoSerializer.class);
    }

    @Test
    void flinkSerializerRoundTripsTelemetry() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<Telemetry> serializer = TypeInformation.of(Telemetry.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(READING, out);
        Telemetry back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(READING);
    }
}
