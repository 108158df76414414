package io.twinstream.jobs.io;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline's edges, injected, so the job, the tests, the embedded demo and the benchmark build
 * the same graph between them.
 */
public interface PipelineIo {

    /** Ingested telemetry with event-time timestamps and watermarks assigned. */
    DataStream<Ingested> telemetry(StreamExecutionEnvironment env);

    void snapshots(DataStream<TwinSnapshot> snapshots);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    void scores(DataStream<AnomalyScore> scores);

    void alerts(DataStream<Alert> alerts);
}
