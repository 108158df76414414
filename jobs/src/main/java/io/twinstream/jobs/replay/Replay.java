package io.twinstream.jobs.replay;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.Topics;
import io.twinstream.schemas.AssetModels;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * A what-if replay: the twin pipeline as a bounded job over the recorded telemetry of a period, with changed settings
 * or models, into a scratch namespace. It reads from {@code warmupFrom} (so that the twins have learned what the live
 * ones had by the period's start; from the topic's start, a replay with unchanged settings gives the live alerts
 * exactly) to the period's end, and never writes a live topic: every output topic is renamed {@code NAMESPACE.topic},
 * and the device-control topics are left out.
 *
 * @param from       start of the period, epoch ms
 * @param to         end, exclusive
 * @param tailMs     how much telemetry after {@code to} is replayed too: an incident that starts before the end may be
 *                   confirmed by readings after it (the report counts incidents that started in the period)
 * @param warmupFrom where reading starts (Kafka record time), or Long.MIN_VALUE for the topic's start
 * @param namespace  prefix of the scratch topics, consumer group and transactional ids
 * @param overrides  settings changed for the replay ({@code --set key=value})
 */
public record Replay(long from, long to, long tailMs, long warmupFrom, String namespace, Map<String, String> overrides) {

    /** Output topics a replay renames. */
    static final List<Key> OUTPUTS = List.of(Key.TOPIC_SNAPSHOTS, Key.TOPIC_SCORES, Key.TOPIC_ALERTS,
            Key.TOPIC_DEAD_LETTER, Key.TOPIC_COMMANDS, Key.TOPIC_ROLLUPS, Key.TOPIC_SITE_STATE, Key.TOPIC_HISTORY);
    /** Inputs that would make the replay act on devices or on live alerts. */
    static final List<Key> LEFT_OUT = List.of(Key.TOPIC_DESIRED, Key.TOPIC_ACKS, Key.TOPIC_ALERT_ACTIONS,
            Key.TOPIC_COMMAND_REQUESTS);

    public Replay {
        if (to <= from) {
            throw new IllegalArgumentException("--to must be after --from");
        }
        if (!namespace.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("the namespace must be a valid topic name prefix, got '" + namespace + "'");
        }
        overrides = Map.copyOf(overrides);
    }

    /** The replay's settings: the live ones with the overrides, scratch outputs, bounded, read from the warm-up start. */
    public PipelineConfig config(PipelineConfig live, boolean ownModels) {
        PipelineConfig c = live;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            c = c.withSetting(o.getKey(), o.getValue());
        }
        for (Key k : OUTPUTS) {
            c = c.with(k, namespace + "." + live.get(k));
        }
        for (Key k : LEFT_OUT) {
            c = c.with(k, "");
        }
        if (ownModels) {
            c = c.with(Key.TOPIC_MODELS, "");
        }
        return c.with(Key.GROUP_ID, namespace)
                .with(Key.TRANSACTIONAL_ID_PREFIX, namespace)
                .with(Key.BOUNDED, "true")
                .with(Key.STARTING_OFFSETS, warmupFrom == Long.MIN_VALUE ? "earliest" : "timestamp:" + warmupFrom);
    }

    /** Creates the scratch topics and runs the replay to its end on {@code env}. */
    public PipelineConfig run(StreamExecutionEnvironment env, PipelineConfig live, AssetModels models, boolean ownModels,
            int partitions) throws Exception {
        PipelineConfig c = config(live, ownModels);
        try (Admin admin = Admin.create(c.kafkaProperties())) {
            Topics.ensure(admin, c, partitions, (short) 1);
        }
        TwinPipeline.build(env, c, models, new ReplayIo(new KafkaPipelineIo(c), to + tailMs));
        env.execute("twinstream replay " + namespace);
        return c;
    }
}
