package io.twinstream.generator.sink;

import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.RecordSink;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Json;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends records keyed by asset id to a telemetry topic, and labels to a labels topic if one is named. */
public final class KafkaRecordSink implements RecordSink {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String labelsTopic;
    private String acksTopic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param clientProperties bootstrap servers and any security settings, passed through unchanged
     * @param labelsTopic      null to send no labels to Kafka
     */
    public KafkaRecordSink(Map<String, Object> clientProperties, String topic, String labelsTopic) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
        this.labelsTopic = labelsTopic;
    }

    @Override
    public void send(GeneratedRecord record) throws Exception {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topic, null, record.reading().timestamp(), record.key(), record.value()),
                (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    /** Sends simulated devices' acknowledgements to {@code topic} (none are sent otherwise). */
    public KafkaRecordSink withAcks(String topic) {
        this.acksTopic = topic;
        return this;
    }

    @Override
    public void ack(io.twinstream.schemas.CommandAck ack) throws Exception {
        if (acksTopic != null) {
            throwIfFailed();
            producer.send(new ProducerRecord<>(acksTopic, null, ack.timestamp(), ack.assetId(),
                    Json.MAPPER.writeValueAsBytes(ack)), (meta, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
        }
    }

    @Override
    public void label(FaultLabel label) throws Exception {
        if (labelsTopic != null) {
            producer.send(new ProducerRecord<>(labelsTopic, label.assetId(), Json.MAPPER.writeValueAsBytes(label)));
        }
    }

    @Override
    public void flush() throws Exception {
        producer.flush();
        throwIfFailed();
    }

    private void throwIfFailed() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
