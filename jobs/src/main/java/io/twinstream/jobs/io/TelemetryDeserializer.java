package io.twinstream.jobs.io;

import java.util.EnumMap;
import java.util.Map;
import io.twinstream.schemas.RejectReason;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads raw telemetry from Kafka. Every record becomes exactly one {@link Ingested}: a valid
 * reading, or a dead letter with the original bytes and their topic/partition/offset. Nothing
 * here throws on bad input, so a poison record cannot fail the job.
 */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final TelemetryParser parser;
    private transient Counter recordsIn;
    private transient Map<RejectReason, Counter> rejected;

    public TelemetryDeserializer(InputLimits limits) {
        this.parser = new TelemetryParser(limits);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup group = context.getMetricGroup().addGroup("twinstream");
        recordsIn = group.counter("telemetryRecordsIn");
        rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, group.addGroup("reason", r.name()).counter("deadLetters"));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        if (recordsIn != null) {
            recordsIn.inc();
        }
        TelemetryParser.Result r = parser.parse(record.value());
        if (r.telemetry() != null) {
            out.collect(Ingested.valid(r.telemetry(), record.topic(), record.partition(), record.offset()));
        } else {
            if (rejected != null) {
                rejected.get(r.reason()).inc();
            }
            out.collect(Ingested.rejected(DeadLetters.of(r.reason(), r.detail(), record.topic(), record.partition(),
                    record.offset(), record.key(), record.value(), record.timestamp())));
        }
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
