package io.twinstream.jobs;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.schemas.AssetModels;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The twin pipeline as a job: Kafka telemetry in; twin snapshots and dead letters out.
 * {@code --config FILE}, {@code --models FILE|DIR} and {@code --key value} arguments; see {@link PipelineConfig.Key}.
 * A wrong argument or a bad model file is one line on stderr and exit code 2.
 */
public final class TwinPipelineJob {
    public static final String NAME = "twinstream-pipeline";

    public static void main(String[] args) throws Exception {
        PipelineConfig config;
        AssetModels models;
        try {
            config = PipelineConfig.fromArgs(args, System.getenv());
            models = config.models();
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("twinstream job: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(config.describe());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(TwinPipeline.flinkConfiguration(config));
        TwinPipeline.build(env, config, models, new KafkaPipelineIo(config, models));
        env.execute(NAME);
    }

    private TwinPipelineJob() {}
}
