package io.twinstream.jobs.twin;

import io.twinstream.jobs.io.DeadLetters;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.io.ModelRecord;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.ModelDefinitions;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.TwinSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs {@link DigitalTwinFunction} as Flink's {@code KeyedProcessOperator} would, except for where its event-time
 * timers live: in a {@link WakeSchedule} on the heap that no checkpoint contains. After a restore (also a rescale)
 * the schedule is rebuilt from the assets' keyed state, which records each asset's one wake-up
 * ({@code AssetState.timer}), so a checkpoint holds the same information once instead of twice.
 *
 * <p>Why: every asset keeps one timer, and with RocksDB state Flink writes all heap timers into each checkpoint
 * synchronously, in the task thread ({@code RocksDBKeyedStateBackend.requiresLegacySynchronousTimerSnapshots});
 * at a million assets that was a fifth of the twin threads' Java samples in a profile, and the timer-queue polls
 * another eighth. Timers in RocksDB were slower still. Without them checkpoints and heap shrank (19 MiB to 45 KiB and
 * 3.9 to 0.4 GiB at a million assets), though the rate there did not measurably change (docs/performance-journal.md). The
 * price: a restore reads every asset's value once before the job starts.
 *
 * <p>The function sees Flink's {@link TimerService} API; processing-time timers are not supported (it uses none).
 *
 * <p>Its second input is the models topic, broadcast to every subtask: a model is put in force in the function and
 * kept in Flink's broadcast state (type to model JSON), so a restore, also at another parallelism, starts with the
 * models in force at the checkpoint although the source does not read them again. A refused model (an older
 * version) is a dead letter, written by subtask 0 only: every subtask refuses it alike.
 */
public final class DigitalTwinOperator extends AbstractUdfStreamOperator<TwinSnapshot, DigitalTwinFunction>
        implements TwoInputStreamOperator<Ingested, ModelRecord, TwinSnapshot> {
    private static final long serialVersionUID = 1L;

    static final MapStateDescriptor<String, String> MODELS =
            new MapStateDescriptor<>("models-in-force", Types.STRING, Types.STRING);

    private transient BroadcastState<String, String> modelsInForce;
    private transient WakeSchedule<String> wakes;
    private transient long watermark;
    private transient TimestampedCollector<TwinSnapshot> collector;
    private transient ReadingContext readingContext;
    private transient WakeContext wakeContext;

    public DigitalTwinOperator(DigitalTwinFunction function) {
        super(function);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelsInForce = context.getOperatorStateStore().getBroadcastState(MODELS);
        for (Map.Entry<String, String> e : modelsInForce.entries()) {
            userFunction.restoreModel(ModelDefinitions.parseRecord(e.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        wakes = new WakeSchedule<>();
        if (context.isRestored()) {
            getKeyedStateBackend().<VoidNamespace, ValueState<AssetState>, AssetState>
                    applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, userFunction.stateDescriptor(),
                    (key, state) -> {
                        AssetState st = state.value();
                        if (st != null && st.timer != Long.MAX_VALUE) {
                            wakes.add((String) key, st.timer);
                        }
                    });
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        collector = new TimestampedCollector<>(output);
        TimerService timers = new Timers();
        readingContext = new ReadingContext(userFunction, timers);
        wakeContext = new WakeContext(userFunction, timers);
        getMetricGroup().addGroup("twinstream").gauge("scheduledWakeUps", () -> wakes.size());
    }

    @Override
    public void processElement2(StreamRecord<ModelRecord> element) throws Exception {
        ModelRecord r = element.getValue();
        AssetModel model = ModelDefinitions.parseRecord(r.json().getBytes(StandardCharsets.UTF_8)); // checked upstream
        AssetModels.Change change = userFunction.onModel(model);
        if (change == AssetModels.Change.ADDED || change == AssetModels.Change.NEW_VERSION) {
            modelsInForce.put(model.type(), r.json());
        } else if (change == AssetModels.Change.REFUSED && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            AssetModel current = userFunction.models().get(model.type());
            String why = current.version().equals(model.version())
                    ? "version " + model.version() + " of " + model.type() + " is in force with other content; "
                            + "publish a higher version"
                    : "version " + model.version() + " of " + model.type() + " is older than version "
                            + current.version() + " in force";
            output.collect(DigitalTwinFunction.DEAD_LETTERS, new StreamRecord<>(DeadLetters.of(RejectReason.INVALID_MODEL,
                    why, r.topic(), r.partition(), r.offset(), model.type().getBytes(StandardCharsets.UTF_8),
                    r.json().getBytes(StandardCharsets.UTF_8), r.timestamp())));
        }
    }

    @Override
    public void processElement1(StreamRecord<Ingested> element) throws Exception {
        processElement(element);
    }

    public void processElement(StreamRecord<Ingested> element) throws Exception {
        collector.setTimestamp(element);
        readingContext.element = element;
        userFunction.processElement(element.getValue(), readingContext, collector);
        readingContext.element = null;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        wakes.fireUpTo(watermark, this::wake);
        super.processWatermark(mark);
    }

    private void wake(String key, long time) throws Exception {
        setCurrentKey(key);
        collector.setAbsoluteTimestamp(time);
        wakeContext.time = time;
        userFunction.onTimer(time, wakeContext, collector);
    }

    /** Keys with a wake-up (the gauge {@code scheduledWakeUps}). */
    int scheduledWakeUps() {
        return wakes.size();
    }

    private final class Timers implements TimerService {
        @Override
        public long currentProcessingTime() {
            return getProcessingTimeService().getCurrentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public void registerEventTimeTimer(long time) {
            wakes.add((String) getCurrentKey(), time);
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            wakes.remove((String) getCurrentKey(), time);
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException("the digital twin keeps event-time wake-ups only");
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException("the digital twin keeps event-time wake-ups only");
        }
    }

    private final class ReadingContext extends DigitalTwinFunction.Context {
        private final TimerService timers;
        StreamRecord<Ingested> element;

        ReadingContext(DigitalTwinFunction function, TimerService timers) {
            function.super();
            this.timers = timers;
        }

        @Override
        public Long timestamp() {
            return element.hasTimestamp() ? element.getTimestamp() : null;
        }

        @Override
        public TimerService timerService() {
            return timers;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.collect(tag, new StreamRecord<>(value, element.getTimestamp()));
        }

        @Override
        public String getCurrentKey() {
            return (String) DigitalTwinOperator.this.getCurrentKey();
        }
    }

    private final class WakeContext extends DigitalTwinFunction.OnTimerContext {
        private final TimerService timers;
        long time;

        WakeContext(DigitalTwinFunction function, TimerService timers) {
            function.super();
            this.timers = timers;
        }

        @Override
        public Long timestamp() {
            return time;
        }

        @Override
        public TimeDomain timeDomain() {
            return TimeDomain.EVENT_TIME;
        }

        @Override
        public TimerService timerService() {
            return timers;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.collect(tag, new StreamRecord<>(value, time));
        }

        @Override
        public String getCurrentKey() {
            return (String) DigitalTwinOperator.this.getCurrentKey();
        }
    }
}
