package io.twinstream.jobs.io;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Rollup;
import io.twinstream.schemas.SiteState;
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

    /**
     * Registry entries ({@link Ingested#registered}) and their dead letters, or null for none; a stream that must not
     * hold back event time ({@link ControlWatermarks}).
     */
    default DataStream<Ingested> registry(StreamExecutionEnvironment env) {
        return null;
    }

    /** Model records, or null for none (the job keeps the models it started with); like the registry, idle. */
    default DataStream<ModelRecord> models(StreamExecutionEnvironment env) {
        return null;
    }

    /**
     * Desired states, devices' acknowledgements and operators' alert actions ({@link Ingested#control} records) and
     * their dead letters, or null for none: a pipeline without them sends no commands. Like the registry, it must not hold back event time.
     */
    default DataStream<Ingested> deviceControl(StreamExecutionEnvironment env) {
        return null;
    }

    /** Commands to devices; called only when {@link #deviceControl} gives a stream. */
    default void commands(DataStream<Command> commands) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads desired states but has no "
                + "commands sink");
    }

    void snapshots(DataStream<TwinSnapshot> snapshots);

    /**
     * Whether the pipeline rolls twins up per site, type and fleet ({@link #rollups}, {@link #siteStates}); the site
     * alerts go to {@link #alerts} with the assets' alerts.
     */
    default boolean rollsUp() {
        return false;
    }

    /** Roll-ups per period; called only when {@link #rollsUp}. */
    default void rollups(DataStream<Rollup> rollups) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " rolls up but has no roll-up sink");
    }

    /** Each site's current state; called only when {@link #rollsUp}. */
    default void siteStates(DataStream<SiteState> states) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " rolls up but has no site-state sink");
    }

    /** History records: snapshot changes ({@link io.twinstream.jobs.twin.DigitalTwinFunction#HISTORY}); none by default. */
    default void history(DataStream<TwinSnapshot> history) {}

    /** Whether {@link #history} keeps them: without a sink the twin does not pick them. */
    default boolean keepsHistory() {
        return false;
    }

    void deadLetters(DataStream<DeadLetter> deadLetters);

    void scores(DataStream<AnomalyScore> scores);

    void alerts(DataStream<Alert> alerts);
}
