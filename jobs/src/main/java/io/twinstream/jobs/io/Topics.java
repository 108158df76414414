package io.twinstream.jobs.io;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The pipeline's topics and their settings; the snapshot, models, registry, desired-state and site-state topics are
 * compacted, the history topic keeps {@code history.retention}.
 */
public final class Topics {
    private Topics() {}

    /** The pipeline's topics; a control topic set to "" (none) is left out. */
    public static List<NewTopic> definitions(PipelineConfig config, int partitions, short replication) {
        return all(config, partitions, replication).stream().filter(t -> !t.name().isBlank()).toList();
    }

    private static List<NewTopic> all(PipelineConfig config, int partitions, short replication) {
        return List.of(
                new NewTopic(config.get(Key.TOPIC_TELEMETRY), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_SNAPSHOTS), partitions, replication).configs(Map.of(
                        "cleanup.policy", "compact",
                        "min.cleanable.dirty.ratio", "0.1",
                        "segment.ms", "600000")),
                new NewTopic(config.get(Key.TOPIC_SCORES), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_ALERTS), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_DEAD_LETTER), partitions, replication),
                // few records, read whole by every job start: one partition keeps their order
                new NewTopic(config.get(Key.TOPIC_MODELS), 1, replication).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(config.get(Key.TOPIC_ASSETS), partitions, replication).configs(Map.of(
                        "cleanup.policy", "compact")),
                new NewTopic(config.get(Key.TOPIC_DESIRED), partitions, replication).configs(Map.of(
                        "cleanup.policy", "compact")),
                new NewTopic(config.get(Key.TOPIC_COMMANDS), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_ACKS), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_ALERT_ACTIONS), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_COMMAND_REQUESTS), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_ROLLUPS), partitions, replication),
                new NewTopic(config.get(Key.TOPIC_SITE_STATE), partitions, replication).configs(Map.of(
                        "cleanup.policy", "compact")),
                new NewTopic(config.get(Key.TOPIC_HISTORY), partitions, replication).configs(Map.of(
                        "retention.ms", String.valueOf(config.millis(Key.HISTORY_RETENTION)))));
    }

    /** Creates whichever of the pipeline's topics do not exist yet. */
    public static void ensure(Admin admin, PipelineConfig config, int partitions, short replication)
            throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic t : definitions(config, partitions, replication)) {
            if (!existing.contains(t.name())) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
            awaitOnline(admin, missing, Duration.ofSeconds(30));
        }
    }

    /**
     * Waits until every partition of new topics answers a ListOffsets, i.e. is online in its leader.
     * Producing before that can strand an idempotent producer: a first batch refused by a partition
     * that is not yet online, then later batches accepted, leaves it retrying an out-of-order sequence
     * until {@code delivery.timeout.ms}.
     */
    static void awaitOnline(Admin admin, List<NewTopic> topics, Duration timeout)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (NewTopic t : topics) {
            for (int i = 0; i < t.numPartitions(); i++) {
                latest.put(new TopicPartition(t.name(), i), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }
}
