package io.twinstream.jobs.io;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Rollup;
import io.twinstream.schemas.SiteState;
import io.twinstream.schemas.TwinSnapshot;
import io.twinstream.schemas.flink.JsonSerialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka in and out: the production edges of the pipeline. */
public final class KafkaPipelineIo implements PipelineIo {
    private final PipelineConfig config;

    public KafkaPipelineIo(PipelineConfig config) {
        this.config = config;
    }

    /** Kept for callers that pass the models: the source no longer checks types (the twin operator does). */
    public KafkaPipelineIo(PipelineConfig config, AssetModels models) {
        this(config);
    }

    @Override
    public DataStream<Ingested> telemetry(StreamExecutionEnvironment env) {
        KafkaSourceBuilder<Ingested> builder = KafkaSource.<Ingested>builder()
                .setProperties(config.kafkaProperties())
                .setTopics(config.get(Key.TOPIC_TELEMETRY))
                .setGroupId(config.get(Key.GROUP_ID))
                .setStartingOffsets(startingOffsets())
                .setDeserializer(new TelemetryDeserializer(InputLimits.from(config)))
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (config.flag(Key.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks(config), "telemetry-source")
                .uid("telemetry-source");
    }

    /**
     * The registry topic, read whole from its start on a fresh job (a compacted topic holds each asset's newest entry),
     * then followed; in a bounded run up to its end at the start. Null if {@code topics.assets} is empty.
     */
    @Override
    public DataStream<Ingested> registry(StreamExecutionEnvironment env) {
        return controlSource(env, Key.TOPIC_ASSETS, "registry", new RegistryDeserializer());
    }

    /**
     * The desired-state topic (whole from its start, like the registry: it is compacted), the acknowledgements topic and
     * the alert-actions and command-requests topics, as one stream; null if all four topics are set empty.
     */
    @Override
    public DataStream<Ingested> deviceControl(StreamExecutionEnvironment env) {
        // one source for the four topics: every source is a split enumerator, fetcher threads and polls to the broker,
        // and these topics carry a few records an hour (four sources cost the benchmark's pipeline about 0.2 µs of CPU
        // per reading in other threads; docs/performance-journal.md)
        java.util.Map<String, Ingested.Control> kinds = new java.util.LinkedHashMap<>();
        java.util.Map<Key, Ingested.Control> topics = java.util.Map.of(Key.TOPIC_DESIRED, Ingested.Control.DESIRED,
                Key.TOPIC_ACKS, Ingested.Control.ACK, Key.TOPIC_ALERT_ACTIONS, Ingested.Control.ACTION,
                Key.TOPIC_COMMAND_REQUESTS, Ingested.Control.REQUEST);
        topics.forEach((key, kind) -> {
            if (!config.get(key).isBlank()) {
                kinds.put(config.get(key), kind);
            }
        });
        if (kinds.isEmpty()) {
            return null;
        }
        return controlSource(env, new java.util.ArrayList<>(new java.util.TreeSet<>(kinds.keySet())), "device-control",
                new ControlDeserializer(kinds));
    }

    @Override
    public void commands(DataStream<Command> commands) {
        commands.sinkTo(sink(config.get(Key.TOPIC_COMMANDS), Command.class, c -> utf8(c.assetId()), "commands",
                        Batching.PROMPT))
                .name("command-sink").uid("command-sink");
    }

    /** The models topic, like the registry: whole from its start, then followed. */
    @Override
    public DataStream<ModelRecord> models(StreamExecutionEnvironment env) {
        return controlSource(env, Key.TOPIC_MODELS, "models", new ModelDeserializer());
    }

    private <T> DataStream<T> controlSource(StreamExecutionEnvironment env, Key topic, String name,
            org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<T> deserializer) {
        return config.get(topic).isBlank() ? null : controlSource(env, List.of(config.get(topic)), name, deserializer);
    }

    /** A control source over {@code topics}: whole from their start on a fresh job, then followed; idle for event time. */
    private <T> DataStream<T> controlSource(StreamExecutionEnvironment env, List<String> topics, String name,
            org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<T> deserializer) {
        KafkaSourceBuilder<T> builder = KafkaSource.<T>builder()
                .setProperties(config.kafkaProperties())
                .setTopics(topics)
                .setGroupId(config.get(Key.GROUP_ID) + "-" + name)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(deserializer);
        if (config.flag(Key.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), ControlWatermarks.<T>strategy(), name + "-source").uid(name + "-source");
    }

    /**
     * Per-partition bounded out-of-orderness on the reading's event time, advancing with the data
     * ({@link EventTimeWatermarks}); dead letters carry no event time (Long.MIN_VALUE) so they never
     * move the watermark.
     */
    public static WatermarkStrategy<Ingested> watermarks(PipelineConfig config) {
        long outOfOrderness = config.millis(Key.MAX_OUT_OF_ORDERNESS);
        long step = config.millis(Key.WATERMARK_STEP);
        return WatermarkStrategy.<Ingested>forGenerator(ctx -> new EventTimeWatermarks<>(outOfOrderness, step))
                .withTimestampAssigner((in, kafkaTs) -> in.isValid() ? in.telemetry().timestamp() : Long.MIN_VALUE)
                .withIdleness(config.duration(Key.IDLE_TIMEOUT));
    }

    private OffsetsInitializer startingOffsets() {
        String value = config.get(Key.STARTING_OFFSETS).trim();
        if (value.startsWith("timestamp:")) {
            // the first record of each partition at or after that time (record timestamps: the generator and most
            // producers stamp a reading with its event time or its send time)
            return OffsetsInitializer.timestamp(Long.parseLong(value.substring("timestamp:".length()).trim()));
        }
        return switch (value) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed-or-earliest" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> throw new IllegalArgumentException(
                    "kafka.starting-offsets must be committed-or-earliest, earliest, latest or timestamp:EPOCH_MS");
        };
    }

    @Override
    public void snapshots(DataStream<TwinSnapshot> snapshots) {
        snapshots.sinkTo(sink(config.get(Key.TOPIC_SNAPSHOTS), TwinSnapshot.class, s -> utf8(s.assetId()), "snapshots",
                        Batching.BULK))
                .name("snapshot-sink").uid("snapshot-sink");
    }

    @Override
    public boolean rollsUp() {
        return !config.get(Key.TOPIC_ROLLUPS).isBlank();
    }

    @Override
    public void rollups(DataStream<Rollup> rollups) {
        rollups.sinkTo(sink(config.get(Key.TOPIC_ROLLUPS), Rollup.class, r -> utf8(r.topicKey()), "rollups",
                        Batching.PROMPT))
                .name("rollup-sink").uid("rollup-sink");
    }

    @Override
    public void siteStates(DataStream<SiteState> states) {
        states.sinkTo(sink(config.get(Key.TOPIC_SITE_STATE), SiteState.class, s -> utf8(s.siteId()), "site-state",
                        Batching.PROMPT))
                .name("site-state-sink").uid("site-state-sink");
    }

    @Override
    public boolean keepsHistory() {
        return !config.get(Key.TOPIC_HISTORY).isBlank();
    }

    @Override
    public void history(DataStream<TwinSnapshot> history) {
        history.sinkTo(sink(config.get(Key.TOPIC_HISTORY), TwinSnapshot.class, s -> utf8(s.assetId()), "history",
                        Batching.BULK))
                .name("history-sink").uid("history-sink");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(sink(config.get(Key.TOPIC_DEAD_LETTER), DeadLetter.class,
                        d -> d.key() == null ? null : utf8(d.key()), "dead-letters", Batching.PROMPT))
                .name("dead-letter-sink").uid("dead-letter-sink");
    }

    @Override
    public void scores(DataStream<AnomalyScore> scores) {
        scores.sinkTo(sink(config.get(Key.TOPIC_SCORES), AnomalyScore.class, s -> utf8(s.assetId()), "scores", Batching.BULK))
                .name("score-sink").uid("score-sink");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        alerts.sinkTo(sink(config.get(Key.TOPIC_ALERTS), Alert.class, a -> utf8(a.alertId()), "alerts", Batching.PROMPT))
                .name("alert-sink").uid("alert-sink");
    }

    /**
     * Producer settings of the sinks unless {@code kafka.properties.} sets them. Kafka's defaults (16 KiB batches,
     * no compression) made the output records' per-batch cost in producer and broker the pipeline's limit: a
     * pipeline that serialised its JSON but did not send it ran at 1.9 times the rate. Measured with
     * {@code bin/twinstream bench --phases throughput} (docs/performance-journal.md): from 64k to 84k readings/s. How long a
     * producer lingers depends on what it writes ({@link Batching}).
     */
    static final Map<String, String> SINK_PRODUCER_DEFAULTS = Map.of(
            "batch.size", "262144",
            "compression.type", "lz4");

    /**
     * How long a sink's producer waits to fill a batch. Snapshots and scores are bulk: every asset writes one every few
     * seconds, spread over the topic's partitions, and each batch costs the producer and the broker a request, a
     * compression frame and a log append whatever its size, so they wait {@code sink.linger} (at 100 ms instead of 10 the
     * pipeline's producer and broker threads took 1 to 1.8 µs less per reading; docs/performance-journal.md, Batching by
     * output). Alerts and dead letters are few and an alert is wanted at once, so they wait only
     * {@code sink.alert-linger}: with a long linger a lone alert would sit out the whole of it.
     */
    public enum Batching { BULK, PROMPT }

    /** The producer settings of a sink: the {@code kafka.properties.} ones over {@link #SINK_PRODUCER_DEFAULTS} and the linger. */
    Properties producerProperties(Batching batching) {
        Properties producer = config.kafkaProperties();
        SINK_PRODUCER_DEFAULTS.forEach(producer::putIfAbsent);
        producer.putIfAbsent("linger.ms", String.valueOf(config.millis(
                batching == Batching.BULK ? Key.SINK_LINGER : Key.SINK_ALERT_LINGER)));
        producer.setProperty("transaction.timeout.ms", String.valueOf(config.millis(Key.TRANSACTION_TIMEOUT)));
        return producer;
    }

    /** A JSON sink keyed by {@code key}; exactly-once with a stable transactional id per sink if so configured. */
    public <T> KafkaSink<T> sink(String topic, Class<T> type, SerializationSchema<T> key, String name, Batching batching) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(producerProperties(batching))
                .setRecordSerializer(new JsonRecordSerializer<>(topic, key, new JsonSerialization<>(type)))
                .setDeliveryGuarantee(config.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(config.get(Key.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
