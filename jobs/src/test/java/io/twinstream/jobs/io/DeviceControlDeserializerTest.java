package io.twinstream.jobs.io;

import static io.twinstream.jobs.io.ControlTopicDeserializersTest.collect;
import static io.twinstream.jobs.io.ControlTopicDeserializersTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.RejectReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one source of desired states, acknowledgements, alert actions and command requests: each topic its own kind. */
class DeviceControlDeserializerTest {
    static final ControlDeserializer DESERIALIZER = new ControlDeserializer(Map.of(
            "twin.desired", Ingested.Control.DESIRED, "telemetry.acks", Ingested.Control.ACK,
            "twin.alert-actions", Ingested.Control.ACTION, "twin.command-requests", Ingested.Control.REQUEST));

    static List<Ingested> read(String topic, String key, String value) {
        return collect(c -> DESERIALIZER.deserialize(record(topic, key, value), c));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "twin.desired          | DESIRED | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"desired\":{\"target\":2},\"updatedAt\":5}",
        "telemetry.acks        | ACK     | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"commandId\":\"c\",\"status\":\"ACCEPTED\",\"timestamp\":5}",
        "twin.alert-actions    | ACTION  | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"alertId\":\"p-1/ANOMALY/1\",\"action\":\"ACK\",\"by\":\"a\",\"at\":5}",
        "twin.command-requests | REQUEST | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"name\":\"restart\",\"requestedAt\":5}",
    })
    void aValidRecordPassesAsTheKindItsTopicHolds(String topic, Ingested.Control kind, String value) {
        assertThat(read(topic, "p-1", value)).singleElement().satisfies(in -> {
            assertThat(in.control()).isEqualTo(kind);
            assertThat(in.assetId()).isEqualTo("p-1");
            assertThat(in.registration()).isEqualTo(value);
            assertThat(in.source()).isEqualTo(topic + "-0@7");
        });
    }

    @ParameterizedTest(name = "{0} {3}")
    @CsvSource(delimiter = '|', value = {
        "twin.desired          | p-2 | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"desired\":{},\"updatedAt\":5} | INVALID_DESIRED_STATE | record key 'p-2' is not the record's assetId 'p-1'",
        "twin.desired          | p-1 | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"desired\":{\"t\":\"high\"},\"updatedAt\":5} | INVALID_DESIRED_STATE | desired",
        "telemetry.acks        | p-1 | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"commandId\":\"c\",\"status\":\"MAYBE\",\"timestamp\":5} | UNKNOWN_COMMAND | status",
        "twin.alert-actions    | p-1 | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"action\":\"ACK\",\"by\":\"a\",\"at\":5} | INVALID_ALERT_ACTION | ACK needs an alertId",
        "twin.alert-actions    | p-1 | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"action\":\"SILENCE\",\"by\":\"a\",\"at\":5} | INVALID_ALERT_ACTION | SILENCE needs silenceForMs",
        "twin.command-requests | p-1 | {\"schemaVersion\":1,\"assetId\":\"p-1\",\"name\":\"set\",\"requestedAt\":5} | INVALID_COMMAND_REQUEST | 'set' is sent for desired values",
        "twin.command-requests | p-1 | {\"schemaVersion\":9,\"assetId\":\"p-1\",\"name\":\"restart\",\"requestedAt\":5} | INVALID_COMMAND_REQUEST | schemaVersion 9 is newer",
        "telemetry.acks        | p-1 | {\"schemaVersion\":1 | UNKNOWN_COMMAND | not valid JSON",
    })
    void aBadRecordIsADeadLetterWithItsTopicsReason(String topic, String key, String value, RejectReason reason,
            String detail) {
        assertThat(read(topic, key, value)).singleElement().satisfies(in -> {
            assertThat(in.isValid()).isFalse();
            assertThat(in.rejected().reasonCode()).isEqualTo(reason);
            assertThat(in.rejected().reason()).contains(detail);
            assertThat(in.rejected().sourceTopic()).isEqualTo(topic);
            assertThat(in.rejected().sourceOffset()).isEqualTo(7);
        });
    }

    @Test
    void aTombstoneClearsADesiredStateAndIsADeadLetterElsewhere() {
        assertThat(read("twin.desired", "p-1", null)).singleElement().satisfies(in -> {
            assertThat(in.control()).isEqualTo(Ingested.Control.DESIRED);
            assertThat(in.registration()).isEmpty();
        });
        assertThat(read("telemetry.acks", "p-1", null)).singleElement()
                .satisfies(in -> assertThat(in.rejected().reasonCode()).isEqualTo(RejectReason.UNKNOWN_COMMAND));
        assertThat(read("twin.alert-actions", null, "{}")).singleElement()
                .satisfies(in -> assertThat(in.rejected().reason()).contains("needs the assetId as its key"));
    }
}
