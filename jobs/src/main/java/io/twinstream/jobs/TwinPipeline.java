package io.twinstream.jobs;

import io.twinstream.jobs.alert.AlertLifecycleFunction;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.anomaly.AnomalyScoringFunction;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.PipelineIo;
import io.twinstream.jobs.io.RouteRejected;
import io.twinstream.jobs.twin.TwinSettings;
import io.twinstream.jobs.twin.TwinStateFunction;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The twin pipeline's graph, built the same way for the job, the tests and the embedded demo:
 * <pre>
 * telemetry ─► route-rejected ─► keyBy(assetId) ─► twin-state ──accepted──► anomaly-scoring ─► scores
 *                   │                                │   └──snapshots──┐           │
 *                   │                                │                 ▼           ▼
 *                   │                                │               alert-lifecycle ─► alerts
 *                   │                                │                      └──────────► snapshots (with health)
 *                   └────────── dead letters ◄───────┘ (invalid; late, sequence too old)
 * </pre>
 * One keyBy: the stages after twin-state are reinterpreted as keyed by the same asset id, so they
 * run in the same task as the twin, chained, with no second shuffle.
 */
public final class TwinPipeline {
    private TwinPipeline() {}

    /** Settings every environment running this pipeline must have: no Kryo fallback, checkpoints. */
    public static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // functions here are top-level classes; recursive cleaning would reflect into JDK maps (module errors on 17+)
        c.set(PipelineOptions.CLOSURE_CLEANER_LEVEL, org.apache.flink.api.common.ExecutionConfig.ClosureCleanerLevel.TOP_LEVEL);
        long checkpointMs = config.millis(PipelineConfig.Key.CHECKPOINT_INTERVAL);
        if (checkpointMs > 0) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(checkpointMs));
        }
        int parallelism = config.integer(PipelineConfig.Key.PARALLELISM);
        if (parallelism > 0) {
            c.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
        }
        return c;
    }

    public static void build(StreamExecutionEnvironment env, PipelineConfig config, AssetModels models, PipelineIo io) {
        env.configure(flinkConfiguration(config));
        SingleOutputStreamOperator<Ingested> valid = io.telemetry(env)
                .process(new RouteRejected()).name("route-rejected").uid("route-rejected");

        SingleOutputStreamOperator<TwinSnapshot> twins = valid
                .keyBy(new ByAssetId(), Types.STRING)
                .process(new TwinStateFunction(models, TwinSettings.from(config)))
                .name("twin-state").uid("twin-state");

        SingleOutputStreamOperator<AnomalyScore> scores = DataStreamUtils
                .reinterpretAsKeyedStream(twins.getSideOutput(TwinStateFunction.ACCEPTED), new ByReadingAsset(), Types.STRING)
                .process(new AnomalyScoringFunction(models, ScoringSettings.from(config), false))
                .name("anomaly-scoring").uid("anomaly-scoring");

        SingleOutputStreamOperator<Alert> alerts = DataStreamUtils
                .reinterpretAsKeyedStream(scores, new ByScoreAsset(), Types.STRING)
                .connect(DataStreamUtils.reinterpretAsKeyedStream(twins, new BySnapshotAsset(), Types.STRING))
                .process(new AlertLifecycleFunction(models, AlertSettings.from(config)))
                .name("alert-lifecycle").uid("alert-lifecycle");

        DataStream<DeadLetter> deadLetters = valid.getSideOutput(RouteRejected.DEAD_LETTERS)
                .union(twins.getSideOutput(TwinStateFunction.DEAD_LETTERS));

        io.snapshots(alerts.getSideOutput(AlertLifecycleFunction.SNAPSHOTS));
        io.scores(scores);
        io.alerts(alerts);
        io.deadLetters(deadLetters);
    }

    /** The same key on the stages after twin-state. */
    public static final class ByReadingAsset implements KeySelector<Telemetry, String> {
        @Override
        public String getKey(Telemetry t) {
            return t.assetId();
        }
    }

    public static final class ByScoreAsset implements KeySelector<AnomalyScore, String> {
        @Override
        public String getKey(AnomalyScore s) {
            return s.assetId();
        }
    }

    public static final class BySnapshotAsset implements KeySelector<TwinSnapshot, String> {
        @Override
        public String getKey(TwinSnapshot s) {
            return s.assetId();
        }
    }

    /** Key of the whole pipeline: state for one asset lives in one place. */
    public static final class ByAssetId implements KeySelector<Ingested, String> {
        @Override
        public String getKey(Ingested in) {
            return in.telemetry().assetId();
        }
    }
}
