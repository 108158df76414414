package io.twinstream.generator.devices;

import io.twinstream.schemas.Command;
import io.twinstream.schemas.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the commands topic as the devices would, with {@code read_committed} (only commands of committed pipeline
 * transactions: each command id once), and hands each to {@link SimulatedDevices}. A thread of its own; close to stop.
 */
public final class CommandListener implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile Exception failure;

    public CommandListener(Map<String, Object> clientProperties, String topic, SimulatedDevices devices) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "twinstream-devices-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try {
                while (true) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() != null) {
                            devices.deliver(Json.MAPPER.readValue(r.value(), Command.class));
                        }
                    }
                }
            } catch (WakeupException stop) {
                // closed
            } catch (Exception e) {
                failure = e;
            } finally {
                consumer.close();
            }
        }, "command-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** The error that stopped the listener, or null. */
    public Exception failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
