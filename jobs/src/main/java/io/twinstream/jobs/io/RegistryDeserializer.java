package io.twinstream.jobs.io;

import io.twinstream.schemas.AssetEntries;
import io.twinstream.schemas.AssetEntry;
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
 * Reads the registry topic: each entry is checked against its schema ({@link AssetEntries}) and its key must be its
 * assetId; anything else becomes a dead letter ({@link RejectReason#INVALID_REGISTRY_ENTRY}). A tombstone removes
 * the asset's entry.
 */
public final class RegistryDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private transient Counter rejected;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        rejected = context.getMetricGroup().addGroup("twinstream")
                .addGroup("reason", RejectReason.INVALID_REGISTRY_ENTRY.name()).counter("deadLetters");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String problem;
        if (key == null || key.isEmpty()) {
            problem = "a registry record needs the assetId as its key";
        } else if (record.value() == null) {
            out.collect(Ingested.registered(key, null, record.topic(), record.partition(), record.offset()));
            return;
        } else {
            try {
                AssetEntry entry = AssetEntries.parseRecord(record.value());
                if (entry.assetId().equals(key)) {
                    out.collect(Ingested.registered(key, new String(record.value(), StandardCharsets.UTF_8),
                            record.topic(), record.partition(), record.offset()));
                    return;
                }
                problem = "record key '" + key + "' is not the entry's assetId '" + entry.assetId() + "'";
            } catch (DefinitionException e) {
                problem = e.getMessage();
            }
        }
        if (rejected != null) {
            rejected.inc();
        }
        out.collect(Ingested.rejected(DeadLetters.of(RejectReason.INVALID_REGISTRY_ENTRY, problem, record.topic(),
                record.partition(), record.offset(), record.key(), record.value(), record.timestamp())));
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
