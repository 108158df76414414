package io.twinstream.bench;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.schemas.Telemetry;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ceiling the pipeline is measured against: the same Kafka source, deserializer, keyBy and JSON
 * Kafka sink as the pipeline, with nothing in between. Its one output is batched as the pipeline's bulk outputs are
 * (snapshots and scores, {@code sink.linger}).
 */
final class PassThroughJob {
    static final String OPERATOR = "pass-through";

    static void build(StreamExecutionEnvironment env, PipelineConfig config, KafkaPipelineIo io, String outputTopic) {
        env.configure(TwinPipeline.flinkConfiguration(config));
        io.telemetry(env)
                .filter(new Valid()).name("valid")
                .map(new ToTelemetry()).name("to-telemetry")
                .keyBy(new TwinPipeline.ByReadingAsset(), Types.STRING)
                .map(new Identity()).name(OPERATOR)
                .sinkTo(io.sink(outputTopic, Telemetry.class, t -> t.assetId().getBytes(StandardCharsets.UTF_8), OPERATOR,
                        KafkaPipelineIo.Batching.BULK))
                .name("pass-through-sink");
    }

    static final class Valid implements FilterFunction<Ingested> {
        @Override
        public boolean filter(Ingested in) {
            return in.isValid();
        }
    }

    static final class ToTelemetry implements MapFunction<Ingested, Telemetry> {
        @Override
        public Telemetry map(Ingested in) {
            return in.telemetry();
        }
    }

    static final class Identity implements MapFunction<Telemetry, Telemetry> {
        @Override
        public Telemetry map(Telemetry t) {
            return t;
        }
    }

    private PassThroughJob() {}
}
