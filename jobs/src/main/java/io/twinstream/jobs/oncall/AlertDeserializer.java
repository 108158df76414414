package io.twinstream.jobs.oncall;

import io.twinstream.jobs.io.DeadLetters;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the alerts topic: a record that is not an alert (not JSON, or without its id, kind, state or start) becomes a
 * dead letter and is counted, so one bad record neither stops the bridge nor disappears.
 */
public final class AlertDeserializer implements KafkaRecordDeserializationSchema<AlertRecord> {
    private static final long serialVersionUID = 1L;

    private transient Counter rejected;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        rejected = context.getMetricGroup().addGroup("twinstream").counter("alertsRejected");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<AlertRecord> out) {
        RejectReason code;
        String problem;
        if (record.value() == null) {
            code = RejectReason.SCHEMA_VIOLATION;
            problem = "an alert record without a value (a tombstone)";
        } else {
            try {
                Alert a = Json.MAPPER.readValue(record.value(), Alert.class);
                problem = a.alertId() == null || a.alertId().isEmpty() ? "no alertId"
                        : a.kind() == null ? "no kind" : a.state() == null ? "no state"
                        : a.startedAt() <= 0 ? "no startedAt" : null;
                if (problem == null) {
                    out.collect(new AlertRecord(a.alertId(), new String(record.value(), StandardCharsets.UTF_8), null));
                    return;
                }
                code = RejectReason.SCHEMA_VIOLATION;
            } catch (java.io.IOException e) {
                // not JSON at all, or JSON that is not an alert (a field missing or of the wrong type)
                code = e instanceof com.fasterxml.jackson.core.JsonParseException ? RejectReason.MALFORMED_JSON
                        : RejectReason.SCHEMA_VIOLATION;
                problem = "not an alert record: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                        ? j.getOriginalMessage() : e.getMessage());
            }
        }
        if (rejected != null) {
            rejected.inc();
        }
        out.collect(new AlertRecord(null, null, DeadLetters.of(code, problem, record.topic(), record.partition(),
                record.offset(), record.key(), record.value(), record.timestamp())));
    }

    @Override
    public TypeInformation<AlertRecord> getProducedType() {
        return TypeInformation.of(AlertRecord.class);
    }
}
