package io.twinstream.jobs.io;

import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.DefinitionException;
import io.twinstream.schemas.ModelDefinitions;
import io.twinstream.schemas.RejectReason;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the models topic: each record is checked against the model schema ({@link ModelDefinitions}) and its key
 * must be its type; anything else becomes a dead letter ({@link RejectReason#INVALID_MODEL}). Removing a model (a
 * tombstone) is refused too: readings of the type would turn into dead letters while their twins still exist.
 */
public final class ModelDeserializer implements KafkaRecordDeserializationSchema<ModelRecord> {
    private static final long serialVersionUID = 1L;

    private transient Counter rejected;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        rejected = context.getMetricGroup().addGroup("twinstream").addGroup("reason", RejectReason.INVALID_MODEL.name())
                .counter("deadLetters");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelRecord> out) {
        String problem;
        if (record.value() == null) {
            problem = "a model cannot be removed (tombstone); publish a new version instead";
        } else {
            try {
                AssetModel m = ModelDefinitions.parseRecord(record.value());
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                if (m.type().equals(key)) {
                    out.collect(new ModelRecord(new String(record.value(), StandardCharsets.UTF_8), null,
                            record.topic(), record.partition(), record.offset(), record.timestamp()));
                    return;
                }
                problem = "record key '" + key + "' is not the model's type '" + m.type() + "'";
            } catch (DefinitionException e) {
                problem = e.getMessage();
            }
        }
        if (rejected != null) {
            rejected.inc();
        }
        out.collect(new ModelRecord(null, DeadLetters.of(RejectReason.INVALID_MODEL, problem, record.topic(),
                record.partition(), record.offset(), record.key(), record.value(), record.timestamp()),
                record.topic(), record.partition(), record.offset(), record.timestamp()));
    }

    @Override
    public TypeInformation<ModelRecord> getProducedType() {
        return TypeInformation.of(ModelRecord.class);
    }
}
