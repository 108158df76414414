package io.twinstream.jobs.io;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a result as a keyed JSON record. Its Kafka timestamp is left to the producer, so it is the
 * time the result was written: results carry their event time in the payload, and a replay of old
 * telemetry must not produce records that retention deletes at once or that roll a log segment
 * each (the connector's default would stamp them with the event time).
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializationSchema<T> key;
    private final SerializationSchema<T> value;

    public JsonRecordSerializer(String topic, SerializationSchema<T> key, SerializationSchema<T> value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        key.open(context);
        value.open(context);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, key.serialize(element), value.serialize(element));
    }
}
