package io.twinstream.jobs.faulttolerance;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.RecordSink;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.jobs.io.Topics;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A real broker, generated input, and per-run output topics, for comparing whole runs of the pipeline. */
public final class PipelineFixture {
    static final long START = 1_763_884_800_000L;

    final EmbeddedKafka kafka;

    public PipelineFixture(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    /** A fleet with every sensor fault kind and a dropout, so snapshots, scores and alerts all have content. */
    public static GeneratorConfig.Builder fleet(long seed, int assets, long minutes) {
        return GeneratorConfig.defaults().copy().seed(seed).assets(assets).sites(2).startMs(START)
                .durationMs(minutes * 60_000).ratePerSecond(0).faultsPerAssetHour(6).faultWarmupMs(4 * 60_000)
                .faultKinds(java.util.EnumSet.allOf(FaultKind.class));
    }

    /** Writes the generator's records to {@code topic} (created with 4 partitions). */
    public List<GeneratedRecord> produce(GeneratorConfig config, String topic) throws Exception {
        kafka.createTopic(topic, 4, Map.of());
        List<GeneratedRecord> sent = generate(config);
        send(sent, topic);
        return sent;
    }

    /** The generator's records, in the order it sends them. */
    public static List<GeneratedRecord> generate(GeneratorConfig config) throws Exception {
        List<GeneratedRecord> out = new ArrayList<>();
        new FleetGenerator(config, AssetModels.builtIn()).run(new RecordSink() {
            @Override
            public void send(GeneratedRecord r) {
                out.add(r);
            }

            @Override
            public void flush() {}
        });
        return out;
    }

    /** Writes records, in order, to an existing topic. */
    public void send(List<GeneratedRecord> records, String topic) throws Exception {
        try (KafkaRecordSink sink = new KafkaRecordSink(Map.of("bootstrap.servers", kafka.bootstrapServers()), topic, null)) {
            for (GeneratedRecord r : records) {
                sink.send(r);
            }
            sink.flush();
        }
    }

    /** Pipeline settings for one run: its own output topics and consumer group, reading {@code input}. */
    public PipelineConfig run(String name, String input) throws Exception {
        PipelineConfig c = PipelineConfig.defaults()
                .with(Key.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(Key.TOPIC_TELEMETRY, input)
                .with(Key.TOPIC_SNAPSHOTS, name + ".snapshots")
                .with(Key.TOPIC_SCORES, name + ".scores")
                .with(Key.TOPIC_ALERTS, name + ".alerts")
                .with(Key.TOPIC_DEAD_LETTER, name + ".dlq")
                .with(Key.TOPIC_MODELS, name + ".models")
                .with(Key.TOPIC_ASSETS, name + ".assets")
                .with(Key.TOPIC_DESIRED, name + ".desired")
                .with(Key.TOPIC_COMMANDS, name + ".commands")
                .with(Key.TOPIC_ACKS, name + ".acks")
                .with(Key.TOPIC_ALERT_ACTIONS, name + ".alert-actions")
                .with(Key.TOPIC_COMMAND_REQUESTS, name + ".command-requests")
                .with(Key.TOPIC_ROLLUPS, name + ".rollups")
                .with(Key.TOPIC_SITE_STATE, name + ".site-state")
                .with(Key.TOPIC_HISTORY, name + ".history")
                .with(Key.GROUP_ID, name)
                .with(Key.TRANSACTIONAL_ID_PREFIX, name)
                .with(Key.STARTING_OFFSETS, "earliest")
                .with(Key.BOUNDED, "true")
                .with(Key.PARALLELISM, "2")
                .with(Key.CHECKPOINT_INTERVAL, "500 ms")
                .with(Key.DELIVERY_GUARANTEE, "exactly-once");
        // every snapshot is compared, so this run's snapshot topic is not compacted (the product's is)
        kafka.createTopic(name + ".snapshots", 4, Map.of("cleanup.policy", "delete"));
        kafka.createTopic(name + ".site-state", 4, Map.of("cleanup.policy", "delete"));
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, c, 4, (short) 1);
        }
        return c;
    }

    /** What a read_committed consumer sees on every sink topic of a run. */
    record Outputs(Map<String, List<String>> snapshots, Map<String, List<String>> scores,
            Map<String, List<String>> alerts, Map<String, Long> deadLetters, Map<String, List<String>> rollups,
            Map<String, List<String>> siteStates, Map<String, List<String>> history) {
        int size() {
            return count(snapshots) + count(scores) + count(alerts)
                    + (int) deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }

        private static int count(Map<String, List<String>> m) {
            return m.values().stream().mapToInt(List::size).sum();
        }

        int alertEvents() {
            return count(alerts);
        }
    }

    Outputs read(PipelineConfig c) {
        var props = c.kafkaProperties();
        Map<String, Long> dead = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(props, c.get(Key.TOPIC_DEAD_LETTER), true)) {
            dead.merge(new String(r.value(), StandardCharsets.UTF_8), 1L, Long::sum);
        }
        return new Outputs(byKey(props, c.get(Key.TOPIC_SNAPSHOTS)), byKey(props, c.get(Key.TOPIC_SCORES)),
                byKey(props, c.get(Key.TOPIC_ALERTS)), dead, byKey(props, c.get(Key.TOPIC_ROLLUPS)),
                byKey(props, c.get(Key.TOPIC_SITE_STATE)), byKey(props, c.get(Key.TOPIC_HISTORY)));
    }

    /** Records per key in partition order: one key's records come from one subtask, in its order. */
    public static Map<String, List<String>> byKey(java.util.Properties props, String topic) {
        Map<String, List<String>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(props, topic, true)) {
            out.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Waits until the run's consumer group has committed at least {@code share} of the input. */
    public void awaitConsumed(PipelineConfig c, double share, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.admin()) {
            String topic = c.get(Key.TOPIC_TELEMETRY);
            Map<TopicPartition, Long> end = new HashMap<>();
            for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                end.put(tp, admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .partitionResult(tp).get().offset());
            }
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long done = 0;
            while (System.nanoTime() < deadline) {
                ListConsumerGroupOffsetsResult r = admin.listConsumerGroupOffsets(c.get(Key.GROUP_ID));
                Map<TopicPartition, OffsetAndMetadata> committed = r.partitionsToOffsetAndMetadata().get();
                done = committed.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
                if (done >= share * total) {
                    return;
                }
                Thread.sleep(200);
            }
            // the offsets are committed when a checkpoint completes: none at all points at checkpoints, not the job
            throw new AssertionError("the job did not consume " + share + " of the input in time: its committed offsets "
                    + "sum to " + done + " of " + total + " records");
        }
    }
}
