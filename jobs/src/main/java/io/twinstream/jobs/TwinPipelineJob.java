package io.twinstream.jobs;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.schemas.AssetModels;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The twin pipeline as a job: Kafka telemetry in; twin snapshots and dead letters out.
 * {@code --config FILE} and {@code --key value} arguments; see {@link PipelineConfig.Key}.
 */
public final class TwinPipelineJob {
    public static final String NAME = "twinstream-pipeline";

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineConfig.fromArgs(args, System.getenv());
        System.out.println(config.describe());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(TwinPipeline.flinkConfiguration(config));
        AssetModels models = AssetModels.builtIn();
        TwinPipeline.build(env, config, models, new KafkaPipelineIo(config, models));
        env.execute(NAME);
    }

    private TwinPipelineJob() {}
}
