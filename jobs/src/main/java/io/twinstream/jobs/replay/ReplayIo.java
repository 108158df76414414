package io.twinstream.jobs.replay;

import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.ModelRecord;
import io.twinstream.jobs.io.PipelineIo;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Rollup;
import io.twinstream.schemas.SiteState;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A replay's edges: the recorded telemetry up to the end of the period (readings of later event time are left out,
 * rejected input stays in), the live registry and models read as they are, no device control (a replay sends no
 * commands), and every output to the replay's scratch topics. The pipeline itself is {@code TwinPipeline}'s, as live.
 */
public record ReplayIo(KafkaPipelineIo scratch, long toMs) implements PipelineIo {

    @Override
    public DataStream<Ingested> telemetry(StreamExecutionEnvironment env) {
        DataStream<Ingested> recorded = scratch.telemetry(env);
        return recorded.transform("replay-period", recorded.getType(), new Until(toMs)).uid("replay-period");
    }

    /**
     * Readings before the end of what is replayed, and event time held there: the source reads on past it (to the
     * topic's end), and its watermark would otherwise take every asset OFFLINE when the replayed readings stop. Dead
     * letters pass (they are part of what happened).
     */
    static final class Until extends AbstractStreamOperator<Ingested> implements OneInputStreamOperator<Ingested, Ingested> {
        private final long toMs;

        Until(long toMs) {
            this.toMs = toMs;
        }

        @Override
        public void processElement(StreamRecord<Ingested> element) {
            Ingested in = element.getValue();
            if (!in.isValid() || in.telemetry().timestamp() < toMs) {
                output.collect(element);
            }
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            super.processWatermark(mark.getTimestamp() == Long.MAX_VALUE || mark.getTimestamp() < toMs ? mark
                    : new Watermark(toMs - 1));
        }
    }

    @Override
    public DataStream<Ingested> registry(StreamExecutionEnvironment env) {
        return scratch.registry(env);
    }

    @Override
    public DataStream<ModelRecord> models(StreamExecutionEnvironment env) {
        return scratch.models(env);
    }

    @Override
    public void snapshots(DataStream<TwinSnapshot> s) {
        scratch.snapshots(s);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> d) {
        scratch.deadLetters(d);
    }

    @Override
    public void scores(DataStream<AnomalyScore> s) {
        scratch.scores(s);
    }

    @Override
    public void alerts(DataStream<Alert> a) {
        scratch.alerts(a);
    }

    @Override
    public boolean rollsUp() {
        return scratch.rollsUp();
    }

    @Override
    public void rollups(DataStream<Rollup> r) {
        scratch.rollups(r);
    }

    @Override
    public void siteStates(DataStream<SiteState> s) {
        scratch.siteStates(s);
    }
}
