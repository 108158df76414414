package io.twinstream.jobs.io;

import io.twinstream.schemas.ControlRecords;
import io.twinstream.schemas.DefinitionException;
import io.twinstream.schemas.RejectReason;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the desired-state topic ({@link Ingested.Control#DESIRED}), the acknowledgements topic
 * ({@link Ingested.Control#ACK}), the alert-actions topic ({@link Ingested.Control#ACTION}) or the command-requests
 * topic ({@link Ingested.Control#REQUEST}): each record is checked
 * against its schema and its key must be its assetId; anything else becomes a dead letter
 * ({@link RejectReason#INVALID_DESIRED_STATE}, {@link RejectReason#UNKNOWN_COMMAND},
 * {@link RejectReason#INVALID_ALERT_ACTION}, {@link RejectReason#INVALID_COMMAND_REQUEST}). A tombstone on the desired-state topic clears the asset's desired state;
 * one on the others means nothing and is a dead letter.
 */
public final class ControlDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    /** Which kind of record each topic holds. */
    private final java.util.Map<String, Ingested.Control> kinds;
    private transient java.util.Map<Ingested.Control, Counter> rejected;

    /** One deserializer for several control topics (one source reads them all): the topic says the kind. */
    public ControlDeserializer(java.util.Map<String, Ingested.Control> kinds) {
        if (kinds.containsValue(Ingested.Control.REGISTRY)) {
            throw new IllegalArgumentException("registry entries have their own deserializer");
        }
        this.kinds = new java.util.HashMap<>(kinds);
    }

    public ControlDeserializer(String topic, Ingested.Control kind) {
        this(java.util.Map.of(topic, kind));
    }

    static RejectReason reason(Ingested.Control kind) {
        return switch (kind) {
            case DESIRED -> RejectReason.INVALID_DESIRED_STATE;
            case ACK -> RejectReason.UNKNOWN_COMMAND;
            case REQUEST -> RejectReason.INVALID_COMMAND_REQUEST;
            default -> RejectReason.INVALID_ALERT_ACTION;
        };
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        rejected = new java.util.EnumMap<>(Ingested.Control.class);
        for (Ingested.Control kind : new java.util.TreeSet<>(kinds.values())) {
            rejected.put(kind, context.getMetricGroup().addGroup("twinstream").addGroup("reason", reason(kind).name())
                    .counter("deadLetters"));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        Ingested.Control kind = kinds.get(record.topic());
        if (kind == null) {
            throw new IllegalStateException("no kind of control record for topic " + record.topic());
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String problem;
        if (key == null || key.isEmpty()) {
            problem = "a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " record needs the assetId as its key";
        } else if (record.value() == null) {
            if (kind == Ingested.Control.DESIRED) {
                out.collect(Ingested.control(kind, key, null, record.topic(), record.partition(), record.offset()));
                return;
            }
            problem = "a record without a value";
        } else {
            try {
                String assetId = switch (kind) {
                    case DESIRED -> ControlRecords.parseDesired(record.value()).assetId();
                    case ACK -> ControlRecords.parseAck(record.value()).assetId();
                    case REQUEST -> ControlRecords.parseRequest(record.value()).assetId();
                    default -> ControlRecords.parseAction(record.value()).assetId();
                };
                if (assetId.equals(key)) {
                    out.collect(Ingested.control(kind, key, new String(record.value(), StandardCharsets.UTF_8),
                            record.topic(), record.partition(), record.offset()));
                    return;
                }
                problem = "record key '" + key + "' is not the record's assetId '" + assetId + "'";
            } catch (DefinitionException e) {
                problem = e.getMessage();
            }
        }
        if (rejected != null) {
            rejected.get(kind).inc();
        }
        out.collect(Ingested.rejected(DeadLetters.of(reason(kind), problem, record.topic(), record.partition(),
                record.offset(), record.key(), record.value(), record.timestamp())));
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
