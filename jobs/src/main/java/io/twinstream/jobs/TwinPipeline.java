package io.twinstream.jobs;

import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.PipelineIo;
import io.twinstream.jobs.io.RouteRejected;
import io.twinstream.jobs.twin.TwinSettings;
import io.twinstream.jobs.twin.DigitalTwinFunction;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The twin pipeline's graph, built the same way for the job, the tests and the embedded demo:
 * <pre>
 * telemetry ─► route-rejected ─► keyBy(assetId) ─► digital-twin ─► snapshots (with health)
 *                   │                                │  twin state,  ─► scores
 *                   │                                │  scores,      ─► alerts
 *                   │                                │  alerts
 *                   └────────── dead letters ◄───────┘ (invalid; late, sequence too old)
 * </pre>
 * One keyBy, one keyed operator: state for one asset lives in one place and its twin, scores and
 * alerts are computed together in event-time order (see {@link DigitalTwinFunction}).
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
                .process(new DigitalTwinFunction(models, TwinSettings.from(config), ScoringSettings.from(config),
                        AlertSettings.from(config), config.millis(PipelineConfig.Key.MAX_OUT_OF_ORDERNESS)))
                .name("digital-twin").uid("digital-twin");

        io.snapshots(twins);
        io.scores(twins.getSideOutput(DigitalTwinFunction.SCORES));
        io.alerts(twins.getSideOutput(DigitalTwinFunction.ALERTS));
        io.deadLetters(valid.getSideOutput(RouteRejected.DEAD_LETTERS)
                .union(twins.getSideOutput(DigitalTwinFunction.DEAD_LETTERS)));
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
            return in.telemetry().assetId();
        }
    }
}
