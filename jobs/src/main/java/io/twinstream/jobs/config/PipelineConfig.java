package io.twinstream.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.util.TimeUtils;

/**
 * The one typed home of the pipeline's configuration. Every key, its default and its meaning is
 * in {@link Key}; values come, later overriding earlier, from the defaults, a properties or flat
 * YAML file ({@code --config FILE}), environment variables ({@code TWINSTREAM_EVENT_TIME_IDLE_TIMEOUT}
 * for {@code event-time.idle-timeout}) and command-line arguments ({@code --event-time.idle-timeout 1m}).
 * Kafka client settings under {@code kafka.properties.} pass through to every consumer and producer;
 * Flink settings under {@code flink.} pass through to Flink's configuration.
 */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Every setting with its default. */
    public enum Key {
        BOOTSTRAP_SERVERS("kafka.bootstrap-servers", "localhost:9092", "Kafka brokers"),
        KAFKA_PROPERTIES_FILE("kafka.properties-file", "",
                "a Java properties file of Kafka client settings for every consumer and producer (credentials "
                        + "from a mounted Secret: sasl.jaas.config, ssl.truststore.password, ...); never printed"),
        GROUP_ID("kafka.group-id", "twinstream-pipeline", "consumer group of the telemetry source"),
        STARTING_OFFSETS("kafka.starting-offsets", "committed-or-earliest",
                "where a fresh job starts: committed-or-earliest, earliest, latest, or timestamp:EPOCH_MS (replays)"),
        BOUNDED("kafka.bounded", "false",
                "stop at the offsets that are latest when the job starts (backfills, tests)"),
        TOPIC_TELEMETRY("topics.telemetry", "telemetry.raw", "raw telemetry, key = assetId"),
        TOPIC_SNAPSHOTS("topics.snapshots", "twin.snapshots", "twin snapshots, compacted, key = assetId"),
        TOPIC_DEAD_LETTER("topics.dead-letter", "telemetry.dlq", "rejected input with reason"),
        TOPIC_ALERTS("topics.alerts", "twin.alerts", "alert lifecycle events, key = alertId"),
        TOPIC_SCORES("topics.scores", "twin.scores", "windowed anomaly scores, key = assetId"),
        TOPIC_MODELS("topics.models", "twin.models",
                "asset models, compacted, key = type: a new type or a higher version applies to the next readings; "
                        + "empty = no models topic (the models given at start only)"),
        TOPIC_ASSETS("topics.assets", "twin.assets",
                "asset registry, compacted, key = assetId: type, site, name, location, parent, tags; empty = no registry"),
        TOPIC_DESIRED("topics.desired", "twin.desired",
                "desired state of settable properties, compacted, key = assetId; empty = no desired state (no commands)"),
        TOPIC_COMMANDS("topics.commands", "twin.commands",
                "commands to devices, key = assetId, written in transactions (exactly-once: each command id once)"),
        TOPIC_ACKS("topics.acks", "telemetry.acks",
                "devices' answers to commands, key = assetId; empty = none (a matching reported value still applies)"),
        TOPIC_ALERT_ACTIONS("topics.alert-actions", "twin.alert-actions",
                "operators' actions on alerts (acknowledge, assign, comment, silence), key = assetId; empty = none"),
        TOPIC_COMMAND_REQUESTS("topics.command-requests", "twin.command-requests",
                "explicit commands operators ask to send (restart, ...), key = assetId; empty = none"),
        TOPIC_ROLLUPS("topics.rollups", "twin.rollups",
                "site, asset-type and fleet roll-ups per period (key = scope:key:period); empty = no roll-ups, site state or site alerts"),
        TOPIC_SITE_STATE("topics.site-state", "twin.site-state", "each site's current roll-up, compacted, key = siteId"),
        TOPIC_HISTORY("topics.history", "twin.history",
                "twin history: snapshot changes kept for history.retention, key = assetId; empty = no history"),
        COMMAND_TTL("commands.ttl", "2 min",
                "a command not applied this long after it was sent is EXPIRED and alerts (COMMAND_EXPIRED), unless "
                        + "its property sets commandTtlMs"),
        DRIFT_AFTER("desired.drift-after", "1 min",
                "a settable property reported away from its desired value for longer than this, with no command on "
                        + "its way, raises DESIRED_STATE_DRIFT, unless the property sets driftAfterMs"),
        MODELS_PATH("models.path", "",
                "a model file or directory (JSON or YAML) added to the built-in models at start (--models); empty = "
                        + "the built-ins only"),
        BACKTEST_ASSET_TYPE("backtest.asset-type", "",
                "backtest and evaluate-csv (--asset-type): score each CSV file as an asset of this model, its columns "
                        + "the model's sensors with their ranges; empty = no model (learned baselines only)"),
        UNKNOWN_TYPE("models.unknown-type", "reject",
                "a reading of a type no model declares: reject (dead letter UNKNOWN_ASSET_TYPE) or infer (a twin "
                        + "whose sensors are learned from its readings, no physical range)"),
        INFERRED_INTERVAL("models.inferred-interval", "60 s",
                "sampling interval assumed for an inferred model (STALE and OFFLINE are counted in it)"),
        MAX_OUT_OF_ORDERNESS("event-time.max-out-of-orderness", "5 s",
                "watermark lag behind the newest event time seen per partition"),
        WATERMARK_STEP("event-time.watermark-step", "1 s",
                "a watermark is also emitted whenever event time moves this far (replays keep their timing)"),
        IDLE_TIMEOUT("event-time.idle-timeout", "30 s",
                "a partition without records this long stops holding back the watermark"),
        MAX_FUTURE_SKEW("event-time.max-future-skew", "5 min",
                "a reading timestamped further than this ahead of the processing clock is a dead letter "
                        + "(FUTURE_TIMESTAMP) and never reaches a watermark or an asset's clock"),
        MIN_TIMESTAMP("event-time.min-timestamp", "2000-01-01T00:00:00Z",
                "a reading timestamped before this instant (a clock reset to 1970) is a dead letter (TIMESTAMP_TOO_OLD)"),
        ALLOWED_LATENESS("event-time.allowed-lateness", "15 s",
                "a reading older than its asset's newest reading by more than this is LATE (dead letter)"),
        STALE_AFTER_INTERVALS("twin.stale-after-intervals", "3",
                "silence, in sampling intervals of the asset's model, after which a twin is STALE"),
        OFFLINE_AFTER_INTERVALS("twin.offline-after-intervals", "10",
                "silence, in sampling intervals, after which a twin is OFFLINE"),
        DEDUP_WINDOW("twin.dedup-window", "1024",
                "sequence numbers per asset remembered for deduplication (multiple of 64)"),
        STATE_TTL("twin.state-ttl", "7 d",
                "a twin not updated for this long (processing time) is dropped from state"),
        SNAPSHOT_MIN_INTERVAL("snapshot.min-interval", "5 s",
                "at most one change-driven snapshot per asset per this much event time"),
        SNAPSHOT_PERIODIC_INTERVAL("snapshot.periodic-interval", "60 s",
                "a snapshot at least this often per asset, also without change"),
        HISTORY_RETENTION("history.retention", "30 d",
                "how long the history topic keeps a twin's snapshot changes (its retention.ms when the topic is created)"),
        HISTORY_INTERVAL("history.min-interval", "0 s",
                "0 = the history keeps every snapshot (an as-of answer is the snapshot then current); above 0, at most "
                        + "one change or periodic snapshot per asset per this much event time (status, registry and control "
                        + "changes are always kept)"),
        ROLLUP_PERIODS("rollup.periods", "1 min, 1 h, 1 d",
                "tumbling event-time periods of the roll-ups, comma-separated; each a multiple of rollup.step"),
        ROLLUP_STEP("rollup.step", "10 s",
                "how often (event time) each site's state is brought up to date, its site alert checked and its "
                        + "site-state record written when it changed"),
        ROLLUP_LATENESS("rollup.lateness", "1 min",
                "how long after its end a period's roll-up waits for energy of buckets that close late (an asset's "
                        + "energy over a bucket is known at its first reading after the bucket); a multiple of rollup.step"),
        SITE_IDLE_AFTER("rollup.site-idle-after", "1 d",
                "a site none of whose records was applied for this long (event time) is rolled up no further until one "
                        + "is (its assets leave the roll-ups; its site state and open site alert stay)"),
        SITE_ALERT_SHARE("rollup.site-alert-share", "0.5",
                "a SITE_OUTAGE opens when at least this share of a site's assets is OFFLINE or has an open alert"),
        SITE_ALERT_CLEAR_SHARE("rollup.site-alert-clear-share", "0.25",
                "... and resolves when the share falls below this (lower, so that it does not flap)"),
        SITE_ALERT_MIN_ASSETS("rollup.site-alert-min-assets", "3",
                "a SITE_OUTAGE needs at least this many assets affected (a site of two is not an outage page)"),
        WINDOW_SIZE("anomaly.window-size", "10 s", "event-time window of the anomaly scores"),
        WINDOW_SLIDE("anomaly.window-slide", "5 s", "slide of the score windows (the size must be a multiple)"),
        WINDOW_STAGGER("anomaly.window-stagger", "true",
                "shift each asset's windows by a fixed phase within the slide, taken from its id, so that a fleet's "
                        + "windows do not all close at the same moment; false = every window ends at a multiple of the slide"),
        BASELINE_TIME_CONSTANT("anomaly.baseline-time-constant", "10 min",
                "memory of each asset's learned baseline (exponential forgetting)"),
        WARMUP_SAMPLES("anomaly.warmup-samples", "120", "readings an asset needs before it is scored"),
        RESIDUAL_Z_LOW("anomaly.residual-z-low", "5",
                "residual, in multiples of its learned usual size, where the score starts to rise"),
        RESIDUAL_Z_HIGH("anomaly.residual-z-high", "10", "... where it reaches 1"),
        RESIDUAL_MIN_FRACTION("anomaly.residual-min-fraction", "0.03",
                "residual, as a share of the sensor's range, where the score starts to rise"),
        RESIDUAL_FULL_FRACTION("anomaly.residual-full-fraction", "0.08", "... where it reaches 1"),
        EXTRAPOLATION_ALLOWANCE("anomaly.extrapolation-allowance", "1",
                "how much the expected residual widens with the other sensors' distance from what was learned"),
        TRANSIENT_ALLOWANCE("anomaly.transient-allowance", "1",
                "how much the expected residual widens while the other sensors move faster than usual"),
        SHIFT_TIME_CONSTANT("anomaly.shift-time-constant", "60 s",
                "memory of the drift detector (mean of the signed residual)"),
        SHIFT_Z_LOW("anomaly.shift-z-low", "2.5",
                "mean signed residual, in multiples of its usual size, where the drift score starts to rise"),
        SHIFT_Z_HIGH("anomaly.shift-z-high", "5", "... where it reaches 1"),
        STUCK_FALSE_ALARM_PROBABILITY("anomaly.stuck-false-alarm-probability", "1e-6",
                "a run of identical values is stuck when the sensor's own repeat rate makes it this unlikely"),
        STUCK_MIN_RUN("anomaly.stuck-min-run", "5", "never call fewer identical readings in a row stuck"),
        FREEZE_SCORE("anomaly.freeze-score", "0.3",
                "readings scoring at least this barely move the baseline (a fault is not learned as normal)"),
        SURPRISE_MEMORY("anomaly.surprise-memory", "5000",
                "readings over which each sensor's calibration of its surprise (anomaly_score) is averaged"),
        SURPRISE_WARMUP("anomaly.surprise-warmup", "30",
                "readings of a sensor before its surprise is scored (anomaly_score 0 until then)"),
        TREND_TIME_CONSTANT("maintenance.trend-time-constant", "5 min",
                "memory of the level trend behind remaining useful life"),
        RUL_HORIZON("maintenance.rul-horizon", "1 h", "remaining useful life is reported when below this"),
        RUL_MIN_FIT("maintenance.rul-min-fit", "0.6",
                "... and when a linear trend explains at least this share of the level's variance"),
        RAISE_SCORE("alert.raise-score", "0.5", "a window at or above this score counts toward raising an alert"),
        RAISE_WINDOWS("alert.raise-windows", "2", "consecutive such windows that raise it"),
        RESOLVE_SCORE("alert.resolve-score", "0.2", "a window below this score counts toward resolving"),
        RESOLVE_WINDOWS("alert.resolve-windows", "6", "consecutive such windows that resolve it"),
        REBASELINE_AFTER("alert.rebaseline-after", "2 h",
                "an anomaly incident open this long (event time) is the asset's new normal: it resolves and the baseline "
                        + "is learned again from the current readings"),
        CRITICAL_SCORE("alert.critical-score", "0.9",
                "a window at or above this score, or a physical range violation, makes an alert CRITICAL"),
        MAX_RECORD_BYTES("input.max-record-bytes", "65536", "larger telemetry records are rejected as OVERSIZED"),
        MAX_ID_LENGTH("input.max-id-length", "128",
                "longest assetId, siteId or eventId accepted (INVALID_IDENTIFIER beyond it)"),
        PARALLELISM("pipeline.parallelism", "-1", "job parallelism; -1 = the cluster default"),
        CHECKPOINT_INTERVAL("checkpoint.interval", "10 s", "checkpoint interval; 0 = off (only with at-least-once)"),
        CHECKPOINT_DIR("checkpoint.dir", "",
                "checkpoint and savepoint storage (file://, s3://, ...); empty = the JobManager's memory"),
        STATE_BACKEND("state.backend", "hashmap", "hashmap (state on the heap) or rocksdb (state on local disk)"),
        INCREMENTAL_CHECKPOINTS("checkpoint.incremental", "false",
                "incremental checkpoints (RocksDB): upload only what changed since the last one"),
        PROMETHEUS_PORT("metrics.prometheus-port", "",
                "serve Flink's and twinstream's metrics for Prometheus on this port (or range, 9249-9259); empty = off"),
        DELIVERY_GUARANTEE("sink.delivery-guarantee", "exactly-once",
                "exactly-once (Kafka transactions; results visible to read_committed consumers at each checkpoint) "
                        + "or at-least-once (visible at once; replays after a failure may repeat records)"),
        TRANSACTIONAL_ID_PREFIX("sink.transactional-id-prefix", "twinstream",
                "stable prefix of the sinks' transactional ids (exactly-once)"),
        TRANSACTION_TIMEOUT("sink.transaction-timeout", "10 min",
                "Kafka transaction timeout; must exceed the checkpoint interval and stay under the broker's max"),
        SINK_LINGER("sink.linger", "100 ms",
                "how long the snapshot and score producers wait to fill a batch: fewer, larger batches cost the "
                        + "producer and the broker less per record (kafka.properties.linger.ms overrides both lingers)"),
        SINK_ALERT_LINGER("sink.alert-linger", "10 ms",
                "how long the alert and dead-letter producers wait to fill a batch: they write few records, and an "
                        + "alert is wanted at once"),
        ALERTMANAGER_URL("alertmanager.url", "",
                "Alertmanager bridge (--url): base URL of Alertmanager, http://host:9093; several, comma-separated, "
                        + "for an Alertmanager cluster (each gets every alert)"),
        ALERTMANAGER_GROUP_ID("alertmanager.group-id", "twinstream-alertmanager",
                "Alertmanager bridge: consumer group on the alerts topic"),
        ALERTMANAGER_FIRST_SEND_DELAY("alertmanager.first-send-delay", "2 s",
                "Alertmanager bridge: how long a newly read open incident waits before its first send, so that a "
                        + "bridge replaying old alerts sees an incident resolve before it would page for it"),
        ALERTMANAGER_RESEND_INTERVAL("alertmanager.resend-interval", "60 s",
                "Alertmanager bridge: how often an open incident is sent again (Alertmanager expects re-sends)"),
        ALERTMANAGER_ENDS_AFTER("alertmanager.ends-after", "4 min",
                "Alertmanager bridge: endsAt of an open incident, this long after each send (Alertmanager resolves it "
                        + "then if no re-send came: the bridge stopped); keep it a few resend intervals"),
        ALERTMANAGER_RESOLVED_RETENTION("alertmanager.resolved-retention", "7 d",
                "Alertmanager bridge: how long a resolved incident is remembered, so a replay does not open it again"),
        ALERTMANAGER_GENERATOR_URL("alertmanager.generator-url", "",
                "Alertmanager bridge: link put into every alert (a dashboard, the live view); empty = none"),
        ALERTMANAGER_BATCH_SIZE("alertmanager.batch-size", "100",
                "Alertmanager bridge: alerts per POST (buffers are also posted at each checkpoint)"),
        ALERTMANAGER_MAX_RETRIES("alertmanager.max-retries", "5",
                "Alertmanager bridge: retries of a failed POST before the job fails over and replays from its checkpoint"),
        ALERTMANAGER_TIMEOUT("alertmanager.timeout", "10 s", "Alertmanager bridge: connect and request timeout"),
        POSTGRES_URL("postgres.url", "jdbc:postgresql://localhost:5432/twinstream",
                "PostgreSQL sink: JDBC URL of the database holding twin_snapshots and alerts"),
        POSTGRES_USER("postgres.user", "twinstream", "PostgreSQL sink: user"),
        POSTGRES_PASSWORD("postgres.password", "", "PostgreSQL sink: password (or TWINSTREAM_POSTGRES_PASSWORD)"),
        POSTGRES_CREATE_TABLES("postgres.create-tables", "true",
                "PostgreSQL sink: create the tables and indexes (CREATE ... IF NOT EXISTS) before starting"),
        POSTGRES_BATCH_ROWS("postgres.batch-rows", "500", "PostgreSQL sink: rows buffered per batch of upserts"),
        POSTGRES_FLUSH_INTERVAL("postgres.flush-interval", "1 s",
                "PostgreSQL sink: longest time a row waits in the buffer (buffers are also flushed at checkpoints)"),
        POSTGRES_MAX_RETRIES("postgres.max-retries", "5",
                "PostgreSQL sink: retries of a failed batch before the job fails over and replays from its checkpoint");

        public final String name;
        public final String defaultValue;
        public final String description;

        Key(String name, String defaultValue, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.description = description;
        }
    }

    static final String KAFKA_PASSTHROUGH = "kafka.properties.";
    static final String FLINK_PASSTHROUGH = "flink.";

    private final Map<String, String> values;

    private PipelineConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The command-line spelling of {@code models.path}. */
    public static final String MODELS_OPTION = "models";

    /**
     * The asset models this configuration names: the built-ins, with those of {@code models.path} added. A bad file
     * is refused with a {@link io.twinstream.schemas.DefinitionException} naming the file, the model and the field.
     */
    public io.twinstream.schemas.AssetModels models() {
        String path = get(Key.MODELS_PATH).trim();
        return io.twinstream.schemas.ModelDefinitions.load(path.isEmpty() ? null : Path.of(path));
    }

    public static PipelineConfig defaults() {
        return of(Map.of());
    }

    /** Defaults overridden by the given keys; unknown keys (except Kafka pass-through) are an error. */
    public static PipelineConfig of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Key k : Key.values()) {
            v.put(k.name, k.defaultValue);
        }
        overrides.forEach((key, value) -> {
            if (key.equals(MODELS_OPTION)) {
                key = Key.MODELS_PATH.name; // --models FILE|DIR, as every command spells it
            } else if (key.equals("asset-type")) {
                key = Key.BACKTEST_ASSET_TYPE.name;
            }
            if (!key.startsWith(KAFKA_PASSTHROUGH) && !key.startsWith(FLINK_PASSTHROUGH) && !v.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'");
            }
            v.put(key, value);
        });
        return new PipelineConfig(v);
    }

    /** File ({@code --config}), then environment, then the other arguments. */
    public static PipelineConfig fromArgs(String[] args, Map<String, String> env) throws IOException {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
            }
            cli.put(args[i].substring(2), args[++i]);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        String file = cli.remove("config");
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r); // reads key=value and flat YAML key: value alike
            }
            p.forEach((k, val) -> merged.put(k.toString().trim(), unquote(val.toString().trim())));
        }
        for (Key k : Key.values()) {
            String e = env.get(envName(k.name));
            if (e != null) {
                merged.put(k.name, e);
            }
        }
        merged.putAll(cli);
        return of(merged);
    }

    static String envName(String key) {
        return "TWINSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
                ? s.substring(1, s.length() - 1) : s;
    }

    public PipelineConfig with(Key key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key.name, value);
        return new PipelineConfig(v);
    }

    /** The same settings with one changed by its name ({@code alert.raise-score}, {@code flink.*}, ...), checked like {@link #of}. */
    public PipelineConfig withSetting(String name, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(name, value);
        return of(v);
    }

    public PipelineConfig withKafkaProperty(String name, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(KAFKA_PASSTHROUGH + name, value);
        return new PipelineConfig(v);
    }

    public PipelineConfig withFlinkProperty(String name, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(FLINK_PASSTHROUGH + name, value);
        return new PipelineConfig(v);
    }

    public String get(Key key) {
        return values.get(key.name);
    }

    public long millis(Key key) {
        return duration(key).toMillis();
    }

    /** A time given on a command line ({@code option}): an ISO-8601 instant (2026-12-04T10:00:00Z) or epoch ms. */
    public static long epochMillis(String value, String option) {
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value)
                    : java.time.Instant.parse(value).toEpochMilli();
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is neither an ISO-8601 instant "
                    + "(2026-12-04T10:00:00Z) nor epoch milliseconds");
        }
    }

    /** An ISO-8601 instant setting, as epoch milliseconds. */
    public long instantMillis(Key key) {
        try {
            return java.time.Instant.parse(get(key)).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key.name + ": '" + get(key) + "' is not an ISO-8601 instant "
                    + "(e.g. 2000-01-01T00:00:00Z)");
        }
    }

    public Duration duration(Key key) {
        return TimeUtils.parseDuration(get(key));
    }

    public int integer(Key key) {
        return Integer.parseInt(get(key).trim());
    }

    public double decimal(Key key) {
        return Double.parseDouble(get(key).trim());
    }

    public boolean flag(Key key) {
        return Boolean.parseBoolean(get(key).trim());
    }

    public boolean exactlyOnce() {
        return get(Key.DELIVERY_GUARANTEE).trim().equalsIgnoreCase("exactly-once");
    }

    /** Kafka client settings to pass to every consumer and producer (security, timeouts, ...). */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        String file = get(Key.KAFKA_PROPERTIES_FILE).trim();
        if (!file.isEmpty()) {
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read kafka.properties-file " + file + ": " + e.getClass().getSimpleName());
            }
        }
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PASSTHROUGH)) {
                p.setProperty(k.substring(KAFKA_PASSTHROUGH.length()), v);
            }
        });
        p.setProperty("bootstrap.servers", get(Key.BOOTSTRAP_SERVERS));
        return p;
    }

    /** Flink settings given as {@code flink.<key>}, passed to Flink's configuration unchanged. */
    public Map<String, String> flinkProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(FLINK_PASSTHROUGH)) {
                p.put(k.substring(FLINK_PASSTHROUGH.length()), v);
            }
        });
        return p;
    }

    /** All settings, one per line, secrets masked: printed at start. */
    public String describe() {
        StringBuilder b = new StringBuilder("twinstream configuration:\n");
        values.forEach((k, v) -> b.append("  ").append(k).append(" = ").append(isSecret(k) ? "******" : v).append('\n'));
        return b.toString();
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("sasl.jaas.config") || k.contains("secret")
                || k.endsWith(".key") || k.contains("token");
    }

    @Override
    public String toString() {
        return describe();
    }
}
