package io.twinstream.jobs.oncall;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.schemas.DeadLetter;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Forwards the alerts topic to Alertmanager:
 * <pre>
 * twin.alerts ─► route-rejected ─► keyBy(alertId) ─► open-incidents ─► Alertmanager (POST /api/v2/alerts)
 *                      └─► dead letters                 (state: open incidents; re-sends on a timer)
 * </pre>
 * A Flink job rather than a plain consumer: Alertmanager must be told about every open incident again and again, so
 * the bridge keeps the open incidents as state. In a plain consumer that state is lost on a restart (a committed
 * offset says nothing about incidents opened before it), and open incidents would expire in Alertmanager until they
 * changed again. Here they are restored from the checkpoint with the offsets, the sink posts before each checkpoint
 * completes (at least once), and the job deploys, restarts and scales like the pipeline.
 *
 * <pre>
 * bin/twinstream alertmanager --url http://alertmanager:9093 [--kafka.bootstrap-servers H:P] [--config FILE] [--key value]
 * </pre>
 */
public final class AlertmanagerBridgeJob {
    public static final String NAME = "twinstream-alertmanager";

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("alert-dead-letters", TypeInformation.of(DeadLetter.class));

    private AlertmanagerBridgeJob() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        PipelineConfig config;
        try {
            config = PipelineConfig.fromArgs(withUrlOption(args), System.getenv());
            urls(config);
        } catch (IllegalArgumentException e) {
            System.err.println("twinstream alertmanager: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(config.describe());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(TwinPipeline.flinkConfiguration(config));
        KafkaPipelineIo kafka = new KafkaPipelineIo(config);
        build(env, config, alertSource(env, config), sink(config), deadLetters -> deadLetters.sinkTo(
                kafka.sink(config.get(Key.TOPIC_DEAD_LETTER), DeadLetter.class, d -> d.key() == null ? null
                        : d.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), "alert-dead-letters",
                        KafkaPipelineIo.Batching.PROMPT)).name("dead-letter-sink").uid("dead-letter-sink"));
        env.execute(NAME);
    }

    static final String USAGE = """
            bin/twinstream alertmanager --url URL[,URL...] [--key value ...]   forward the alerts topic to Alertmanager

              --url URL                        Alertmanager base URL (alertmanager.url), e.g. http://localhost:9093
              --kafka.bootstrap-servers H:P    the broker holding the alerts topic (topics.alerts)
              --alertmanager.resend-interval D, --alertmanager.ends-after D, --alertmanager.generator-url URL, ...
              --config FILE                    settings from a file; docs/configuration.md lists every key
            """;

    /** {@code --url X} is {@code --alertmanager.url X}. */
    static String[] withUrlOption(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i += 2) {
            if (out[i].equals("--url")) {
                out[i] = "--" + Key.ALERTMANAGER_URL.name;
            }
        }
        return out;
    }

    /** The Alertmanager URLs of {@code alertmanager.url}; at least one. */
    public static List<String> urls(PipelineConfig config) {
        List<String> urls = Arrays.stream(config.get(Key.ALERTMANAGER_URL).split(","))
                .map(String::trim).filter(u -> !u.isEmpty()).toList();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("give the Alertmanager to send to: --url http://HOST:9093");
        }
        for (String u : urls) {
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException("alertmanager.url: '" + u + "' is not an http:// or https:// URL");
            }
        }
        return urls;
    }

    /** The alerts topic from the group's committed offsets (from the start for a new group), unbounded. */
    public static DataStream<AlertRecord> alertSource(StreamExecutionEnvironment env, PipelineConfig config) {
        var builder = KafkaSource.<AlertRecord>builder()
                .setProperties(config.kafkaProperties())
                .setTopics(config.get(Key.TOPIC_ALERTS))
                .setGroupId(config.get(Key.ALERTMANAGER_GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new AlertDeserializer())
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (config.flag(Key.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "alert-source").uid("alert-source");
    }

    public static AlertmanagerSink sink(PipelineConfig config) {
        return new AlertmanagerSink(urls(config), config.integer(Key.ALERTMANAGER_BATCH_SIZE),
                config.integer(Key.ALERTMANAGER_MAX_RETRIES), config.duration(Key.ALERTMANAGER_TIMEOUT));
    }

    /** Where the rejected records go: the dead-letter topic in the job, a list in a test. */
    public interface DeadLetterSink {
        void accept(DataStream<DeadLetter> deadLetters);
    }

    public static void build(StreamExecutionEnvironment env, PipelineConfig config, DataStream<AlertRecord> alerts,
            Sink<AlertmanagerAlert> alertmanager, DeadLetterSink deadLetters) {
        SingleOutputStreamOperator<AlertRecord> valid = alerts.process(new RouteRejectedAlerts())
                .name("route-rejected").uid("route-rejected");
        valid.keyBy(AlertRecord::alertId)
                .process(new OpenIncidents(new AlertmanagerMapping(config.get(Key.ALERTMANAGER_GENERATOR_URL)),
                        config.duration(Key.ALERTMANAGER_FIRST_SEND_DELAY), config.duration(Key.ALERTMANAGER_RESEND_INTERVAL), config.duration(Key.ALERTMANAGER_ENDS_AFTER),
                        config.duration(Key.ALERTMANAGER_RESOLVED_RETENTION)))
                .name("open-incidents").uid("open-incidents")
                .sinkTo(alertmanager).name("alertmanager").uid("alertmanager");
        deadLetters.accept(valid.getSideOutput(DEAD_LETTERS));
    }

    static final class RouteRejectedAlerts extends ProcessFunction<AlertRecord, AlertRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(AlertRecord in, Context ctx, Collector<AlertRecord> out) {
            if (in.rejected() == null) {
                out.collect(in);
            } else {
                ctx.output(DEAD_LETTERS, in.rejected());
            }
        }
    }
}
