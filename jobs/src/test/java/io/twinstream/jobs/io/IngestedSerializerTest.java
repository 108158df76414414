package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.Telemetry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class IngestedSerializerTest {
    private final TypeSerializer<Ingested> serializer =
            TypeInformation.of(Ingested.class).createSerializer(new SerializerConfigImpl());

    @Test
    void everyTypeExtractionOfIngestedUsesItsOwnSerializer() {
        assertThat(TypeInformation.of(Ingested.class)).isSameAs(IngestedTypeInfo.INSTANCE);
        assertThat(serializer).isInstanceOf(IngestedSerializer.class);
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isEqualTo(serializer);
    }

    @Test
    void readingsControlRecordsTombstonesAndDeadLettersComeBackEqual() throws IOException {
        Map<String, Double> readings = new HashMap<>();
        readings.put("temperature_c", 21.5);
        readings.put("druck_bar_ü", -0.0);
        readings.put("gap", null);
        List<Ingested> records = List.of(
                Ingested.valid(new Telemetry(1, "e-1", "pump-0001", "INDUSTRIAL_PUMP", "site-ä", 1_700_000_000_123L,
                        42, readings), "telemetry.raw", 3, 981L),
                Ingested.valid(new Telemetry(1, null, "pump-0002", null, null, -5, -1, null), "telemetry.raw", 0, 0),
                Ingested.valid(new Telemetry(1, "e-2", "a".repeat(300), "T", "s", 1, 1, Map.of()), null, 0, 0),
                Ingested.registered("chiller-7", "{\"assetId\":\"chiller-7\",\"tags\":[\"" + "x".repeat(70_000) + "\"]}",
                        "twin.assets", 1, 7),
                Ingested.registered("chiller-7", null, "twin.assets", 1, 8),
                Ingested.control(Ingested.Control.DESIRED, "pump-0001", "{\"desired\":{\"target_flow_m3h\":120}}",
                        "twin.desired", 0, 3),
                Ingested.control(Ingested.Control.DESIRED, "pump-0001", null, "twin.desired", 0, 4),
                Ingested.control(Ingested.Control.ACK, "pump-0001", "{\"commandId\":\"c\"}", "telemetry.acks", 2, 9),
                Ingested.control(Ingested.Control.ACTION, "pump-0001", "{\"action\":\"ACK\"}", "twin.alert-actions", 1,
                        2),
                Ingested.control(Ingested.Control.REQUEST, "pump-0001", "{\"name\":\"restart\"}",
                        "twin.command-requests", 0, 5),
                Ingested.rejected(new DeadLetter(1, RejectReason.SCHEMA_VIOLATION, "no assetId", "telemetry.raw", 2, 5,
                        null, "{\"x\":1}", "utf8", 99)),
                Ingested.rejected(new DeadLetter(1, null, null, null, 0, 0, null, null, null, 0)));
        for (Ingested r : records) {
            assertThat(roundTrip(r)).isEqualTo(r);
        }
    }

    @Test
    void recurringNamesComeBackAsOneInstanceAndDistinctOnesStayDistinct() throws IOException {
        // more distinct asset ids than the cache has slots: collisions must still give each its own text
        List<Ingested> records = new ArrayList<>();
        for (int i = 0; i < 3 * IngestedSerializer.CACHE_SLOTS; i++) {
            records.add(Ingested.valid(new Telemetry(1, "e" + i, "asset-" + i, "WIND_TURBINE", "site-" + (i % 7), i, i,
                    Map.of("rotor_rpm", (double) i)), "telemetry.raw", 0, i));
        }
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        for (Ingested r : records) {
            serializer.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<Ingested> back = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            back.add(serializer.deserialize(in));
        }
        assertThat(back).isEqualTo(records);
        assertThat(in.available()).isZero();
        assertThat(back.get(1).telemetry().assetType()).isSameAs(back.get(2).telemetry().assetType());
        String name = back.get(5).telemetry().readings().keySet().iterator().next();
        assertThat(back.get(6).telemetry().readings().keySet().iterator().next()).isSameAs(name);
    }

    @Test
    void aDuplicateHasACacheOfItsOwn() throws IOException {
        Ingested r = Ingested.valid(new Telemetry(1, "e", "a-1", "T", "s", 1, 1, Map.of("x", 1.0)), "t", 0, 0);
        TypeSerializer<Ingested> other = serializer.duplicate();
        assertThat(other).isNotSameAs(serializer).isEqualTo(serializer);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(r, out);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(serializer.deserialize(in)).isEqualTo(r);
        assertThat(other.deserialize(in)).isEqualTo(r);
    }

    private Ingested roundTrip(Ingested r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(r, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
