package io.twinstream.jobs;

import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.command.ControlSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.ModelRecord;
import io.twinstream.jobs.io.RouteRejectedModels;
import io.twinstream.jobs.io.PipelineIo;
import io.twinstream.jobs.io.RouteRejected;
import io.twinstream.jobs.twin.TwinSettings;
import io.twinstream.jobs.twin.DigitalTwinFunction;
import io.twinstream.jobs.twin.DigitalTwinOperator;
import io.twinstream.jobs.rollup.GroupPartials;
import io.twinstream.jobs.rollup.RollupInput;
import io.twinstream.jobs.rollup.RollupPartial;
import io.twinstream.jobs.rollup.RollupSettings;
import io.twinstream.jobs.rollup.SiteRollupFunction;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Rollup;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The twin pipeline's graph, built the same way for the job, the tests and the embedded demo:
 * <pre>
 * telemetry ──┬─► route-rejected ─► keyBy(assetId) ─► digital-twin ─► snapshots (with health, desired/reported)
 * registry ───┤        │                                │  twin state,  ─► scores
 * desired,    │        │     models ─► broadcast ──────►│  scores,      ─► alerts
 *  acks ──────┘        │                                │  alerts,      ─► commands
 *                      │                                │  commands
 *                      └────────── dead letters ◄───────┘ (invalid; unknown type or sensor, late, too old)
 *
 * snapshots, alerts, energy ─► keyBy(site) ─► site-rollup ─┬─► site state, site alerts (to the alerts)
 *                                                          └─► per type ─► keyBy(group, period) ─► window ─► roll-ups
 * snapshots ─► history
 * </pre>
 * One keyBy, one keyed operator: state for one asset lives in one place and its twin, scores and
 * alerts are computed together in event-time order (see {@link DigitalTwinFunction}).
 */
public final class TwinPipeline {
    private TwinPipeline() {}

    /**
     * RocksDB settings for one state value per asset. With a large fleet most lookups go to SST files, and
     * without bloom filters (Flink's default) each one reads blocks of every file that may hold the key, also
     * for an asset seen for the first time. Measured (docs/performance-journal.md): 1,000,000 assets went from 0.43 to
     * 0.72 of the 1,000-asset rate.
     *
     * <p>Flink's timers on the heap. The twin operator keeps its wake-ups outside them ({@code DigitalTwinOperator});
     * before that, each asset's one timer, moved by its readings, made RocksDB timers slower than heap ones (each move
     * deletes a key from the timer column family: the 1,000-asset run fell from 48,288 to 38,159 events/s in
     * neighbouring runs and its state on disk doubled; docs/performance-journal.md). Kept for any timers an operator adds.
     *
     * <p>No compression in levels 0 and 1, LZ4 below (Flink's default is Snappy everywhere). Each reading rewrites its
     * asset's whole value, so with many assets every byte passes through a memtable flush and an L0-to-L1 compaction,
     * which rewrites all of L1 each time; compressing data that is rewritten seconds later was most of RocksDB's
     * background work. Measured at 1,000,000 assets (docs/performance-journal.md): flush and compaction threads from 0.72 to
     * 0.48 cores, 1,000,000 / 1,000 assets from 0.49, 0.62, 0.62 to 0.53, 0.67, 0.69 in three alternating pairs, for
     * about a third more state on disk (the deeper levels, which hold most of it, stay compressed).
     *
     * <p>String keys, so a heap-backend job does not load RocksDB classes; a {@code flink.*} setting overrides them.
     */
    static final Configuration ROCKSDB_TUNING = Configuration.fromMap(java.util.Map.of(
            "state.backend.rocksdb.use-bloom-filter", "true",
            "state.backend.rocksdb.timer-service.factory", "HEAP",
            "state.backend.rocksdb.compression.per.level",
            "NO_COMPRESSION;NO_COMPRESSION;LZ4_COMPRESSION;LZ4_COMPRESSION;LZ4_COMPRESSION;LZ4_COMPRESSION;LZ4_COMPRESSION"));

    /**
     * The Flink configuration this pipeline runs with: no Kryo fallback, checkpoints, state backend,
     * metrics reporter, parallelism, and any {@code flink.*} pass-through setting. Usable for a local
     * environment as a whole; on a cluster the cluster-level parts (reporters) belong in its config.yaml.
     */
    public static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records over without a defensive copy. Safe here: every record an operator emits
        // is built for that emit and never changed afterwards, the sinks serialize it before write() returns, and
        // records that cross the keyBy are deserialized anew. The copies were 8% of the twin operator's thread
        // (docs/performance-journal.md).
        c.set(PipelineOptions.OBJECT_REUSE, true);
        // functions here are top-level classes; recursive cleaning would reflect into JDK maps (module errors on 17+)
        c.set(PipelineOptions.CLOSURE_CLEANER_LEVEL, org.apache.flink.api.common.ExecutionConfig.ClosureCleanerLevel.TOP_LEVEL);
        long checkpointMs = config.millis(PipelineConfig.Key.CHECKPOINT_INTERVAL);
        if (checkpointMs > 0) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(checkpointMs));
        } else if (config.exactlyOnce()) {
            throw new IllegalArgumentException("sink.delivery-guarantee=exactly-once commits at checkpoints: "
                    + "set checkpoint.interval above 0, or use at-least-once");
        }
        String dir = config.get(PipelineConfig.Key.CHECKPOINT_DIR).trim();
        if (!dir.isEmpty()) {
            c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir + "/savepoints");
        }
        String backend = config.get(PipelineConfig.Key.STATE_BACKEND).trim();
        c.set(StateBackendOptions.STATE_BACKEND, backend);
        if (backend.equalsIgnoreCase("rocksdb")) {
            c.addAll(ROCKSDB_TUNING);
        }
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, config.flag(PipelineConfig.Key.INCREMENTAL_CHECKPOINTS));
        String prometheus = config.get(PipelineConfig.Key.PROMETHEUS_PORT).trim();
        if (!prometheus.isEmpty()) {
            c.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            c.setString("metrics.reporter.prom.port", prometheus);
        }
        int parallelism = config.integer(PipelineConfig.Key.PARALLELISM);
        if (parallelism > 0) {
            c.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
        }
        config.flinkProperties().forEach(c::setString);
        return c;
    }

    public static void build(StreamExecutionEnvironment env, PipelineConfig config, AssetModels models, PipelineIo io) {
        env.configure(flinkConfiguration(config));
        SingleOutputStreamOperator<Ingested> valid = io.telemetry(env)
                .process(new RouteRejected()).name("route-rejected").uid("route-rejected");
        // the registry joins after its own routing: a union in front of route-rejected would break the telemetry
        // source's chain, and every reading would cross a network buffer once more (measured: 1,000 assets on
        // RocksDB from 76,819 to 58,019 to 63,715 events/s with the union there; docs/performance-journal.md)
        DataStream<Ingested> keyedInput = valid;
        DataStream<DeadLetter> registryRejected = null;
        DataStream<Ingested> registry = io.registry(env);
        if (registry != null) {
            SingleOutputStreamOperator<Ingested> entries = registry
                    .process(new RouteRejected()).name("route-rejected-registry").uid("route-rejected-registry");
            keyedInput = valid.union(entries);
            registryRejected = entries.getSideOutput(RouteRejected.DEAD_LETTERS);
        }
        DataStream<Ingested> deviceControl = io.deviceControl(env);
        if (deviceControl != null) {
            SingleOutputStreamOperator<Ingested> control = deviceControl
                    .process(new RouteRejected()).name("route-rejected-control").uid("route-rejected-control");
            keyedInput = keyedInput.union(control);
            DataStream<DeadLetter> controlRejected = control.getSideOutput(RouteRejected.DEAD_LETTERS);
            registryRejected = registryRejected == null ? controlRejected : registryRejected.union(controlRejected);
        }

        DataStream<ModelRecord> modelRecords = io.models(env);
        if (modelRecords == null) {
            // no models topic: a stream that never emits keeps the operator's shape (and its state's) the same either
            // way. Derived from the readings, it carries their watermarks and ends with them; an empty bounded source
            // (fromData of nothing) failed at runtime in Flink 2.2 ("Reached the end of the collection").
            modelRecords = valid.flatMap(new NoModels()).name("no-models").uid("no-models");
        }
        SingleOutputStreamOperator<ModelRecord> checkedModels = modelRecords
                .process(new RouteRejectedModels()).name("route-rejected-models").uid("route-rejected-models")
                .setParallelism(1);

        SingleOutputStreamOperator<TwinSnapshot> twins = keyedInput
                .keyBy(new ByAssetId(), Types.STRING)
                .connect(checkedModels.broadcast())
                .transform("digital-twin", TypeInformation.of(TwinSnapshot.class), new DigitalTwinOperator(
                        new DigitalTwinFunction(models, io.keepsHistory() ? TwinSettings.from(config)
                                : TwinSettings.from(config).withHistory(-1), ScoringSettings.from(config),
                                AlertSettings.from(config), ControlSettings.from(config),
                                config.millis(PipelineConfig.Key.MAX_OUT_OF_ORDERNESS))))
                .uid("digital-twin");

        io.snapshots(twins);
        if (io.keepsHistory()) {
            io.history(twins.getSideOutput(DigitalTwinFunction.HISTORY));
        }
        io.scores(twins.getSideOutput(DigitalTwinFunction.SCORES));
        DataStream<Alert> alerts = twins.getSideOutput(DigitalTwinFunction.ALERTS);
        if (io.rollsUp()) {
            alerts = rollUp(config, io, twins, alerts);
        }
        io.alerts(alerts);
        if (deviceControl != null) {
            io.commands(twins.getSideOutput(DigitalTwinFunction.COMMANDS));
        }
        DataStream<DeadLetter> deadLetters = valid.getSideOutput(RouteRejected.DEAD_LETTERS)
                .union(checkedModels.getSideOutput(RouteRejectedModels.DEAD_LETTERS))
                .union(twins.getSideOutput(DigitalTwinFunction.DEAD_LETTERS));
        io.deadLetters(registryRejected == null ? deadLetters : deadLetters.union(registryRejected));
    }

    /**
     * Sites, types and the fleet: what the twin operator emits, keyed by site ({@link SiteRollupFunction}), then each
     * site's per-type partials summed per group and period in Flink's event-time windows (every partial of one period
     * carries the same timestamp, so one window of {@code rollup.step} holds them). Returns the assets' alerts with
     * the sites' alerts.
     */
    static DataStream<Alert> rollUp(PipelineConfig config, PipelineIo io, SingleOutputStreamOperator<TwinSnapshot> twins,
            DataStream<Alert> alerts) {
        RollupSettings settings = RollupSettings.from(config);
        DataStream<RollupInput> input = twins.map(new SnapshotToRollup()).name("snapshot-to-rollup").uid("snapshot-to-rollup")
                .union(alerts.map(new AlertToRollup()).name("alert-to-rollup").uid("alert-to-rollup"),
                        twins.getSideOutput(DigitalTwinFunction.ENERGY));
        SingleOutputStreamOperator<RollupPartial> sites = input
                .keyBy(new GroupPartials.BySite(), Types.STRING)
                .process(new SiteRollupFunction(settings), TypeInformation.of(RollupPartial.class))
                .name("site-rollup").uid("site-rollup");
        DataStream<Rollup> rollups = sites
                .flatMap(new GroupPartials(), TypeInformation.of(RollupPartial.class)).name("rollup-groups").uid("rollup-groups")
                .keyBy(new GroupPartials.ByGroupAndPeriod(), Types.STRING)
                .window(TumblingEventTimeWindows.of(java.time.Duration.ofMillis(settings.stepMs())))
                .reduce(new MergePartials(), new ToRollup(), TypeInformation.of(Rollup.class))
                .name("rollup-sums").uid("rollup-sums");
        io.rollups(rollups);
        io.siteStates(sites.getSideOutput(SiteRollupFunction.SITE_STATE));
        return alerts.union(sites.getSideOutput(SiteRollupFunction.SITE_ALERTS));
    }

    static final class SnapshotToRollup implements org.apache.flink.api.common.functions.MapFunction<TwinSnapshot, RollupInput> {
        @Override
        public RollupInput map(TwinSnapshot s) {
            return RollupInput.of(s);
        }
    }

    static final class AlertToRollup implements org.apache.flink.api.common.functions.MapFunction<Alert, RollupInput> {
        @Override
        public RollupInput map(Alert a) {
            return RollupInput.of(a);
        }
    }

    static final class MergePartials implements org.apache.flink.api.common.functions.ReduceFunction<RollupPartial> {
        @Override
        public RollupPartial reduce(RollupPartial a, RollupPartial b) {
            return RollupPartial.merge(a, b);
        }
    }

    static final class ToRollup extends org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction<
            RollupPartial, Rollup, String, org.apache.flink.streaming.api.windowing.windows.TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<RollupPartial> sums, org.apache.flink.util.Collector<Rollup> out) {
            for (RollupPartial p : sums) {
                out.collect(p.toRollup());
            }
        }
    }

    /** Emits nothing: the models input of a pipeline without a models topic. */
    static final class NoModels implements org.apache.flink.api.common.functions.FlatMapFunction<Ingested, ModelRecord>,
            org.apache.flink.api.java.typeutils.ResultTypeQueryable<ModelRecord> {
        @Override
        public void flatMap(Ingested in, org.apache.flink.util.Collector<ModelRecord> out) {}

        @Override
        public TypeInformation<ModelRecord> getProducedType() {
            return TypeInformation.of(ModelRecord.class);
        }
    }

    /** The asset id of a reading (the backtest's key: the series). */
    public static final class ByReadingAsset implements KeySelector<Telemetry, String> {
        @Override
        public String getKey(Telemetry t) {
            return t.assetId();
        }
    }

    /** Key of the whole pipeline: state for one asset lives in one place. */
    public static final class ByAssetId implements KeySelector<Ingested, String> {
        @Override
        public String getKey(Ingested in) {
            return in.assetId();
        }
    }
}
