package io.twinstream.jobs.faulttolerance;

import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.ModelRecord;
import io.twinstream.jobs.io.PipelineIo;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline's Kafka edges with a failure injector right after the telemetry source (uid {@code inject-failure}),
 * so the job graph is the reference run's plus one map: the fault-tolerance tests compare their outputs to it.
 */
record InjectedFailureIo(KafkaPipelineIo kafka, MapFunction<Ingested, Ingested> injector) implements PipelineIo {
    @Override
    public DataStream<Ingested> telemetry(StreamExecutionEnvironment env) {
        return kafka.telemetry(env).map(injector).name("inject-failure").uid("inject-failure");
    }

    @Override
    public DataStream<Ingested> registry(StreamExecutionEnvironment env) {
        return kafka.registry(env);
    }

    @Override
    public DataStream<ModelRecord> models(StreamExecutionEnvironment env) {
        return kafka.models(env);
    }

    @Override
    public void snapshots(DataStream<TwinSnapshot> s) {
        kafka.snapshots(s);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> d) {
        kafka.deadLetters(d);
    }

    @Override
    public void scores(DataStream<AnomalyScore> s) {
        kafka.scores(s);
    }

    @Override
    public void alerts(DataStream<Alert> a) {
        kafka.alerts(a);
    }

    @Override
    public boolean rollsUp() {
        return kafka.rollsUp();
    }

    @Override
    public void rollups(DataStream<io.twinstream.schemas.Rollup> r) {
        kafka.rollups(r);
    }

    @Override
    public void siteStates(DataStream<io.twinstream.schemas.SiteState> s) {
        kafka.siteStates(s);
    }

    @Override
    public boolean keepsHistory() {
        return kafka.keepsHistory();
    }

    @Override
    public void history(DataStream<TwinSnapshot> h) {
        kafka.history(h);
    }
}
