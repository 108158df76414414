package io.twinstream.jobs.twin;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.ModelRecord;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.TwinSnapshot;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The twin operator in Flink's test harness, keyed by asset as the pipeline keys it, its models input idle from the
 * start as the pipeline's models source is ({@code ControlWatermarks}); the readings go to input 1. Also wraps Flink's
 * own {@code KeyedProcessOperator} running the same function, so tests can compare the two through one interface.
 */
final class TwinHarness implements AutoCloseable {
    private final KeyedTwoInputStreamOperatorTestHarness<String, Ingested, ModelRecord, TwinSnapshot> two;
    private final KeyedOneInputStreamOperatorTestHarness<String, Ingested, TwinSnapshot> one;

    private TwinHarness(KeyedTwoInputStreamOperatorTestHarness<String, Ingested, ModelRecord, TwinSnapshot> two,
            KeyedOneInputStreamOperatorTestHarness<String, Ingested, TwinSnapshot> one) {
        this.two = two;
        this.one = one;
    }

    static TwinHarness of(DigitalTwinOperator operator, int maxParallelism, int subtasks, int subtask)
            throws Exception {
        return new TwinHarness(new KeyedTwoInputStreamOperatorTestHarness<>(operator, new TwinPipeline.ByAssetId(),
                null, Types.STRING, maxParallelism, subtasks, subtask), null);
    }

    static TwinHarness of(DigitalTwinOperator operator) throws Exception {
        return of(operator, 128, 1, 0);
    }

    /** Flink's keyed process operator running {@code function}: the reference the twin operator must equal. */
    static TwinHarness flinks(DigitalTwinFunction function, int maxParallelism, int subtasks, int subtask)
            throws Exception {
        return new TwinHarness(null, new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(function),
                new TwinPipeline.ByAssetId(), Types.STRING, maxParallelism, subtasks, subtask));
    }

    AbstractStreamOperatorTestHarness<TwinSnapshot> harness() {
        return two != null ? two : one;
    }

    void open() throws Exception {
        harness().open();
        if (two != null) {
            two.processWatermarkStatus2(WatermarkStatus.IDLE);
        }
    }

    void processElement(Ingested in, long timestamp) throws Exception {
        processElement(new StreamRecord<>(in, timestamp));
    }

    void processElement(StreamRecord<Ingested> record) throws Exception {
        if (two != null) {
            two.processElement1(record);
        } else {
            one.processElement(record);
        }
    }

    void processWatermark(long time) throws Exception {
        if (two != null) {
            two.processWatermark1(new Watermark(time));
        } else {
            one.processWatermark(time);
        }
    }

    /** A model arriving on the models topic (as the pipeline broadcasts it). */
    void processModel(AssetModel model) throws Exception {
        two.processElement2(new StreamRecord<>(new ModelRecord(Json.MAPPER.writeValueAsString(model), null,
                "twin.models", 0, 0, 0)));
    }

    java.util.List<TwinSnapshot> extractOutputValues() {
        return harness().extractOutputValues();
    }

    <X> java.util.concurrent.ConcurrentLinkedQueue<StreamRecord<X>> getSideOutput(org.apache.flink.util.OutputTag<X> tag) {
        return harness().getSideOutput(tag);
    }

    OperatorSubtaskState snapshot(long checkpointId, long timestamp) throws Exception {
        return harness().snapshot(checkpointId, timestamp);
    }

    void initializeState(OperatorSubtaskState state) throws Exception {
        harness().initializeState(state);
    }

    void setStateBackend(org.apache.flink.runtime.state.StateBackend backend) {
        harness().setStateBackend(backend);
    }

    void setStateTtlProcessingTime(long time) {
        harness().setStateTtlProcessingTime(time);
    }

    int numEventTimeTimers() {
        return harness().numEventTimeTimers();
    }

    Object getOperator() {
        return harness().getOperator();
    }

    @Override
    public void close() throws Exception {
        harness().close();
    }
}
