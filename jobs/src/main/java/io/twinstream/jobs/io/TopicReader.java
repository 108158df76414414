package io.twinstream.jobs.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic, from the beginning up to its end offsets at the time of the call: what an
 * analyst's or SRE's consumer sees. {@code readCommitted} hides aborted and open transactions.
 */
public final class TopicReader {
    private TopicReader() {}

    /** The whole topic; an IllegalStateException if it cannot be read to its end offsets within two minutes. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(Properties clientProperties, String topic,
            boolean readCommitted) {
        return readAll(clientProperties, topic, readCommitted, Duration.ofMinutes(2), false);
    }

    /**
     * The topic from its start to its end offsets at the time of the call. If that takes longer than {@code timeout},
     * what was read so far when {@code partialIsFine}, else an IllegalStateException saying how far it got: a reader
     * that checks what a topic holds must not pass on a truncated read.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(Properties clientProperties, String topic,
            boolean readCommitted, Duration timeout, boolean partialIsFine) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(c, end) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            if (!partialIsFine && !caughtUp(c, end)) {
                long total = end.values().stream().mapToLong(Long::longValue).sum();
                long at = end.keySet().stream().mapToLong(c::position).sum();
                throw new IllegalStateException("read topic " + topic + " only to offset " + at + " of " + total
                        + " (summed over its partitions) in " + timeout.toSeconds() + " s: a partial read");
            }
            return out;
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        // with read_committed the position can stop short of a transaction marker; position() moves past it
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }

    /** The newest value per key, as a compacted topic converges to (a tombstone removes its key). */
    public static <T> Map<String, T> latestByKey(List<ConsumerRecord<byte[], byte[]>> records,
            Function<byte[], T> decode) {
        Map<String, byte[]> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(key); // a tombstone: the key is gone, as compaction will make it
            } else {
                latest.put(key, r.value());
            }
        }
        return latest.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> decode.apply(e.getValue())));
    }
}
