package io.twinstream.jobs.twin;

import io.twinstream.jobs.alert.AlertLogic;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.alert.AlertNotes;
import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.alert.OperatorActions;
import io.twinstream.jobs.anomaly.Scoring;
import io.twinstream.jobs.command.ControlLogic;
import io.twinstream.jobs.command.ControlSettings;
import io.twinstream.jobs.command.DeviceControl;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.anomaly.SlidingPanes;
import io.twinstream.jobs.io.DeadLetters;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetEntry;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.CommandAck;
import io.twinstream.schemas.CommandRequest;
import io.twinstream.schemas.DesiredState;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.time.Duration;
import java.util.List;
import io.twinstream.schemas.AssetStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import io.twinstream.jobs.energy.EnergyLogic;
import io.twinstream.jobs.energy.EnergyMeter;
import io.twinstream.jobs.rollup.RollupInput;
import io.twinstream.schemas.EnergySpec;

/**
 * One asset's digital twin, anomaly scores and alerts, keyed by asset id: state for one asset in
 * one place. Main output: twin snapshots (with the asset's health); side outputs: window scores,
 * alert events and dead letters.
 *
 * <p>On arrival a reading is admitted or rejected at once ({@link TwinLogic#admit}: lateness against
 * the asset's newest reading, deduplication). Admitted readings then wait in a small buffer and are
 * applied <b>in event-time order</b>, interleaved with the asset's other event-time work — liveness
 * (STALE, OFFLINE), snapshot flushes, window closings and so alerts — as an agenda. The agenda runs
 * up to the asset's own clock (its newest reading minus {@code event-time.max-out-of-orderness}) when
 * a reading arrives, and up to the watermark, through a timer, for an asset that fell silent. When the
 * input's disorder stays within that bound, both ways run the same agenda, so the output is a
 * function of the input alone: the same after a restart from a checkpoint, a rescale, a replay at
 * any speed, or with its readings shuffled within the bound. The price is latency: an asset's
 * results trail its newest reading by the out-of-orderness bound. A reading that arrives behind the
 * agenda anyway (more disordered than the bound, within the allowed lateness) is applied at once.
 */
public class DigitalTwinFunction extends KeyedProcessFunction<String, Ingested, TwinSnapshot>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("twin-dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<AnomalyScore> SCORES =
            new OutputTag<>("anomaly-scores", TypeInformation.of(AnomalyScore.class));
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<Command> COMMANDS = new OutputTag<>("commands", TypeInformation.of(Command.class));
    /** Energy an asset produced and consumed over one bucket, for the roll-ups. */
    public static final OutputTag<RollupInput> ENERGY = new OutputTag<>("energy",
            TypeInformation.of(RollupInput.class));
    /** The snapshots the twin's history keeps (history.min-interval). */
    public static final OutputTag<TwinSnapshot> HISTORY = new OutputTag<>("history",
            TypeInformation.of(TwinSnapshot.class));

    /**
     * Heap backend: expired assets are swept by checking this many other state entries per state access (Flink's
     * default is 5). The pipeline reads and writes its one value per reading, so even 1 sweeps a whole subtask's
     * state once per as many readings as it has assets, far more often than a TTL of days needs; at 5 the sweep
     * was 4% of the operator's time in the benchmark. RocksDB drops expired values in compaction instead.
     */
    static final int TTL_CLEANUP_ENTRIES_PER_ACCESS = 1;

    /**
     * The models in force on this subtask: those the job started with, then those of the models topic
     * ({@link #onModel}). One instance, shared with the three logic objects below, so a model put here is what they
     * see (Java serialization keeps the sharing when Flink ships the function to each subtask).
     */
    private final AssetModels models;
    private final boolean inferUnknownTypes;
    private final TwinLogic twin;
    private final Scoring scoring;
    private final AlertLogic alerting;
    private final ControlLogic control;
    private final OperatorActions actions = new OperatorActions();
    private final long orderingBoundMs;
    private final long stateTtlMs;
    private final long historyIntervalMs;
    private final EnergyLogic energy;

    private transient ValueState<AssetState> state;
    private transient Counter accepted;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter tooOld;
    private transient Counter behindAgenda;
    private transient Counter lateForWindow;
    private transient Counter alertsOpened;
    private transient Counter alertsResolved;
    private transient Counter unknownType;
    private transient Counter unknownSensor;
    private transient Counter noSite;
    private transient Counter modelsApplied;
    private transient Counter modelsRefused;
    private transient Counter inferredTwins;
    private transient Counter registryUpdates;
    private transient Counter desiredApplied;
    private transient Counter desiredRefused;
    private transient Counter commandsSent;
    private transient Counter acksApplied;
    private transient Counter acksUnknown;
    private transient Counter acksAfterEnd;
    private transient Counter actionsApplied;
    private transient Counter requestsRefused;
    private transient Counter actionsRefused;
    private transient Counter alertsHeld;
    /** Assets ONLINE, STALE, OFFLINE, alerts open and critical alerts open on this subtask (gauges). */
    private transient long[] fleet;
    private transient ListState<FleetCounts> fleetState;

    public DigitalTwinFunction(AssetModels models, TwinSettings twinSettings, ScoringSettings scoringSettings,
            AlertSettings alertSettings, long orderingBoundMs) {
        this(models, twinSettings, scoringSettings, alertSettings, ControlSettings.DEFAULTS, orderingBoundMs);
    }

    public DigitalTwinFunction(AssetModels models, TwinSettings twinSettings, ScoringSettings scoringSettings,
            AlertSettings alertSettings, ControlSettings controlSettings, long orderingBoundMs) {
        this.models = models;
        this.inferUnknownTypes = twinSettings.inferUnknownTypes();
        this.twin = new TwinLogic(models, twinSettings);
        this.scoring = new Scoring(models, scoringSettings);
        this.alerting = new AlertLogic(models, alertSettings);
        this.control = new ControlLogic(controlSettings);
        this.orderingBoundMs = orderingBoundMs;
        this.stateTtlMs = twinSettings.stateTtlMs();
        this.historyIntervalMs = twinSettings.historyIntervalMs();
        this.energy = new EnergyLogic(twinSettings.energyBucketMs());
    }

    /**
     * Restores the fleet gauges. With the same parallelism each subtask takes its own counts back;
     * after a rescale keys move between subtasks, so each takes an even share of the totals (an
     * approximation until the assets' next status changes). Assets dropped by the state TTL stay counted.
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        fleetState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("fleet-counts", FleetCounts.class));
        fleet = new long[5];
        if (context.isRestored()) {
            List<FleetCounts> all = new java.util.ArrayList<>();
            fleetState.get().forEach(all::add);
            int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            boolean sameParallelism = all.size() == parallelism;
            long divisor = sameParallelism ? 1 : parallelism;
            for (FleetCounts c : all) {
                if (sameParallelism && c.subtask != me) {
                    continue;
                }
                fleet[0] += c.online / divisor;
                fleet[1] += c.stale / divisor;
                fleet[2] += c.offline / divisor;
                fleet[3] += c.openAlerts / divisor;
                fleet[4] += c.openCritical / divisor;
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        FleetCounts c = new FleetCounts();
        c.subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        c.online = fleet[0];
        c.stale = fleet[1];
        c.offline = fleet[2];
        c.openAlerts = fleet[3];
        c.openCritical = fleet[4];
        fleetState.update(List.of(c));
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor());
        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("twinstream");
        accepted = m.counter("readingsAccepted");
        duplicates = m.counter("duplicatesDropped");
        late = m.counter("lateRecords");
        tooOld = m.counter("sequenceTooOld");
        behindAgenda = m.counter("readingsBehindAgenda");
        lateForWindow = m.counter("lateForScoringWindow");
        alertsOpened = m.counter("alertsOpened");
        alertsResolved = m.counter("alertsResolved");
        unknownType = m.addGroup("reason", RejectReason.UNKNOWN_ASSET_TYPE.name()).counter("deadLetters");
        unknownSensor = m.addGroup("reason", RejectReason.UNKNOWN_SENSOR.name()).counter("deadLetters");
        noSite = m.addGroup("reason", RejectReason.SCHEMA_VIOLATION.name()).counter("deadLetters");
        modelsApplied = m.counter("modelsApplied");
        modelsRefused = m.counter("modelsRefused");
        inferredTwins = m.counter("inferredTwins");
        registryUpdates = m.counter("registryUpdates");
        desiredApplied = m.counter("desiredStatesApplied");
        desiredRefused = m.addGroup("reason", RejectReason.INVALID_DESIRED_STATE.name()).counter("deadLetters");
        commandsSent = m.counter("commandsSent");
        acksApplied = m.counter("acksApplied");
        acksUnknown = m.addGroup("reason", RejectReason.UNKNOWN_COMMAND.name()).counter("deadLetters");
        acksAfterEnd = m.counter("acksAfterCommandEnded");
        actionsApplied = m.counter("alertActionsApplied");
        requestsRefused = m.addGroup("reason", RejectReason.INVALID_COMMAND_REQUEST.name()).counter("deadLetters");
        actionsRefused = m.addGroup("reason", RejectReason.INVALID_ALERT_ACTION.name()).counter("deadLetters");
        alertsHeld = m.counter("alertsHeldBySilence");
        m.gauge("assetsOnline", () -> fleet[0]);
        m.gauge("assetsStale", () -> fleet[1]);
        m.gauge("assetsOffline", () -> fleet[2]);
        m.gauge("alertsOpen", () -> fleet[3]);
        m.gauge("alertsOpenCritical", () -> fleet[4]);
    }

    /** The descriptor of this function's keyed value. */
    ValueStateDescriptor<AssetState> stateDescriptor() {
        return stateDescriptor(stateTtlMs);
    }

    /** The one keyed value of an asset, written by {@link AssetStateSerializer}, dropped after the state TTL. */
    static ValueStateDescriptor<AssetState> stateDescriptor(long stateTtlMs) {
        return stateDescriptor(stateTtlMs, new AssetStateSerializer());
    }

    static ValueStateDescriptor<AssetState> stateDescriptor(long stateTtlMs, AssetStateSerializer serializer) {
        ValueStateDescriptor<AssetState> descriptor = new ValueStateDescriptor<>("asset", serializer);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(stateTtlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupIncrementally(TTL_CLEANUP_ENTRIES_PER_ACCESS, false)
                .build());
        return descriptor;
    }

    private void track(AssetStatus before, AssetStatus after) {
        if (before != after) {
            if (before != null) {
                fleet[before.ordinal()]--;
            }
            fleet[after.ordinal()]++;
        }
    }

    /** The outputs of one call, so the agenda's steps can emit without passing contexts around. */
    private record Emitter(String asset, AssetState st, Collector<TwinSnapshot> out, Context ctx) {}

    @Override
    public void processElement(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        if (in.isControl()) {
            switch (in.control()) {
                case REGISTRY -> register(in, ctx, out);
                case DESIRED -> desire(in, ctx, out);
                case ACK -> acknowledge(in, ctx, out);
                case ACTION -> act(in, ctx, out);
                case REQUEST -> request(in, ctx, out);
            }
            return;
        }
        AssetState st = state.value();
        Telemetry t = resolve(in, st == null ? null : st.twin.registry, ctx);
        if (t == null) {
            return;
        }
        if (st == null) {
            st = new AssetState();
            st.twin = twin.newState();
            st.alerts = new AssetAlerts();
        }
        TwinLogic.Admission admission = twin.admit(st.twin, st.newest, t);
        switch (admission.verdict()) {
            case DUPLICATE -> {
                duplicates.inc();
                if (st.released != Long.MIN_VALUE && t.timestamp() <= st.released) {
                    twin.countDuplicate(st.twin);
                } else {
                    int i = st.pendingDuplicates.size();
                    while (i > 0 && st.pendingDuplicates.get(i - 1) > t.timestamp()) {
                        i--;
                    }
                    st.pendingDuplicates.add(i, t.timestamp());
                }
                state.update(st);
                return;
            }
            case LATE, SEQUENCE_TOO_OLD -> {
                (admission.verdict() == TwinLogic.Verdict.LATE ? late : tooOld).inc();
                ctx.output(DEAD_LETTERS, DeadLetters.ofReading(admission.rejectReason(), admission.reason(), in));
                return;
            }
            default -> accepted.inc();
        }
        Emitter e = new Emitter(ctx.getCurrentKey(), st, out, ctx);
        st.newest = Math.max(st.newest, t.timestamp());
        if (st.released != Long.MIN_VALUE && t.timestamp() <= st.released) {
            behindAgenda.inc();
            apply(e, t);
        } else {
            insertInOrder(st.pending, t);
        }
        advance(e, st.newest - orderingBoundMs, false);
        state.update(st);
    }

    /**
     * The reading with its type and site as the registry gives them (or as it carries them), once its type has a model
     * in force (or may be inferred) that declares each of its sensors; else null, and its dead letter is out.
     */
    private Telemetry resolve(Ingested in, AssetEntry entry, Context ctx) {
        Telemetry t = in.telemetry();
        String type = entry != null ? entry.assetType() : t.assetType();
        if (type == null) {
            return reject(in, ctx, RejectReason.UNKNOWN_ASSET_TYPE, unknownType,
                    "the reading has no assetType and the asset is not in the registry");
        }
        AssetModel model = models.get(type);
        if (model == null && !inferUnknownTypes) {
            return reject(in, ctx, RejectReason.UNKNOWN_ASSET_TYPE, unknownType, "no model declares assetType '" + type
                    + "'" + (entry != null ? " (the asset's type in the registry)" : ""));
        }
        if (model != null) {
            for (String sensor : t.readings().keySet()) {
                if (model.sensor(sensor) == null && model.settable(sensor) == null) {
                    return reject(in, ctx, RejectReason.UNKNOWN_SENSOR, unknownSensor, type + " (model version "
                            + model.version() + ") declares no sensor '" + sensor + "'");
                }
            }
            type = model.type(); // its own instance: later lookups find it by identity
        }
        String site = entry != null && entry.siteId() != null ? entry.siteId() : t.siteId();
        if (site == null) {
            return reject(in, ctx, RejectReason.SCHEMA_VIOLATION, noSite,
                    "the reading has no siteId and the asset's registry entry gives none");
        }
        // equal is enough: a copy per reading would cost more than the hash lookups the model's own instance saves
        if (!type.equals(t.assetType()) || !site.equals(t.siteId())) {
            t = new Telemetry(t.schemaVersion(), t.eventId(), t.assetId(), type, site, t.timestamp(), t.seq(),
                    t.readings());
        }
        return t;
    }

    private Telemetry reject(Ingested in, Context ctx, RejectReason reason, Counter counter, String detail) {
        counter.inc();
        ctx.output(DEAD_LETTERS, DeadLetters.ofReading(reason, detail, in));
        return null;
    }

    /**
     * A registry entry of this asset: kept in its state, so its next readings take their type and site from it, and
     * shown at once in a snapshot if the asset has a twin. An unchanged entry (a replay of the topic) changes nothing.
     */
    private void register(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        AssetEntry entry = in.registration().isEmpty() ? null
                : Json.MAPPER.readValue(in.registration(), AssetEntry.class);
        AssetState st = state.value();
        if (st == null) {
            if (entry == null) {
                return;
            }
            st = new AssetState();
            st.twin = twin.newState();
            st.alerts = new AssetAlerts();
        } else if (java.util.Objects.equals(st.twin.registry, entry)) {
            return;
        }
        registryUpdates.inc();
        st.twin.registry = entry;
        if (entry != null && entry.siteId() != null && st.twin.assetType != null) {
            st.twin.siteId = entry.siteId();
        }
        Emitter e = new Emitter(ctx.getCurrentKey(), st, out, ctx);
        twin.registryChanged(e.asset(), st.twin, snapshot -> emitSnapshot(e, snapshot));
        state.update(st);
    }

    /**
     * A desired state of this asset: put in force against its model, the commands it causes sent and shown at once.
     * Refused as a dead letter for an asset whose model is not known yet or that declares no such settable property.
     */
    private void desire(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        DesiredState d = in.registration().isEmpty() ? null : Json.MAPPER.readValue(in.registration(), DesiredState.class);
        AssetState st = state.value();
        AssetModel model = st == null || st.twin.assetType == null || st.twin.modelInferred ? null
                : models.get(st.twin.assetType);
        if (d != null) {
            String problem = ControlLogic.problem(model, d);
            if (problem != null) {
                desiredRefused.inc();
                ctx.output(DEAD_LETTERS, DeadLetters.ofControl(RejectReason.INVALID_DESIRED_STATE, problem, in,
                        d.updatedAt()));
                return;
            }
        } else if (st == null || st.control == null) {
            return; // nothing desired, nothing to clear
        }
        desiredApplied.inc();
        if (st.control == null) {
            st.control = new DeviceControl();
        }
        Emitter e = new Emitter(ctx.getCurrentKey(), st, out, ctx);
        long time = d != null ? d.updatedAt() : Math.max(st.twin.lastSeen, st.twin.lastSnapshotTime);
        control.onDesired(assetRef(e), st.control, model, d, in.source(), time, controlOut(e));
        afterControl(e, time);
        state.update(st);
    }

    /** A device's answer to a command: moves the command on; one for a command never sent is a dead letter. */
    private void acknowledge(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        CommandAck ack = Json.MAPPER.readValue(in.registration(), CommandAck.class);
        AssetState st = state.value();
        Emitter e = st == null ? null : new Emitter(ctx.getCurrentKey(), st, out, ctx);
        ControlLogic.AckResult result = st == null || st.control == null ? ControlLogic.AckResult.UNKNOWN_COMMAND
                : control.onAck(assetRef(e), st.control, ack, controlOut(e));
        switch (result) {
            case UNKNOWN_COMMAND -> {
                acksUnknown.inc();
                ctx.output(DEAD_LETTERS, DeadLetters.ofControl(RejectReason.UNKNOWN_COMMAND, "asset " + in.assetId()
                        + " has no pending or recent command '" + ack.commandId() + "'", in, ack.timestamp()));
            }
            case ALREADY_ENDED -> acksAfterEnd.inc();
            case APPLIED -> {
                acksApplied.inc();
                afterControl(e, ack.timestamp());
                state.update(st);
            }
        }
    }

    /** An explicit command requested for this asset: sent once; one its model does not declare is a dead letter. */
    private void request(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        CommandRequest req = Json.MAPPER.readValue(in.registration(), CommandRequest.class);
        AssetState st = state.value();
        AssetModel model = st == null || st.twin.assetType == null || st.twin.modelInferred ? null
                : models.get(st.twin.assetType);
        String refused = "the asset has no twin yet";
        Emitter e = null;
        if (st != null) {
            if (st.control == null) {
                st.control = new DeviceControl();
            }
            e = new Emitter(ctx.getCurrentKey(), st, out, ctx);
            refused = control.onRequest(assetRef(e), st.control, model, req, in.source(), controlOut(e));
        }
        if (refused != null) {
            requestsRefused.inc();
            ctx.output(DEAD_LETTERS, DeadLetters.ofControl(RejectReason.INVALID_COMMAND_REQUEST, refused, in,
                    req.requestedAt()));
            return;
        }
        afterControl(e, req.requestedAt());
        state.update(st);
    }

    /** After a control record: a changed twin is shown at once, and the agenda's timer covers the new deadlines. */
    private void afterControl(Emitter e, long time) {
        AssetState st = e.st();
        if (st.control.changed) {
            twin.controlChanged(e.asset(), st.twin, time, snapshot -> emitSnapshot(e, snapshot));
        }
        if (st.released != Long.MIN_VALUE) {
            scheduleTimer(e);
        }
    }

    private ControlLogic.AssetRef assetRef(Emitter e) {
        AssetState st = e.st();
        return new ControlLogic.AssetRef(e.asset(), st.twin.assetType, st.twin.siteId, st.alerts.currentValues);
    }

    private ControlLogic.Out controlOut(Emitter e) {
        return new ControlLogic.Out() {
            @Override
            public void command(Command c) {
                commandsSent.inc();
                e.ctx().output(COMMANDS, c);
            }

            @Override
            public void alert(Alert a) {
                emitAlert(e, a);
            }
        };
    }

    /**
     * A model from the models topic, on every subtask: put in force if it is a new type or a higher version
     * ({@link AssetModels#put}). A twin follows its model's new version at its next reading ({@link #apply}).
     */
    public AssetModels.Change onModel(AssetModel model) {
        AssetModels.Change change = models.put(model);
        if (change == AssetModels.Change.ADDED || change == AssetModels.Change.NEW_VERSION) {
            modelsApplied.inc();
        } else if (change == AssetModels.Change.REFUSED) {
            modelsRefused.inc();
        }
        return change;
    }

    /** A model restored from the operator's broadcast state: no metrics, nothing emitted. */
    void restoreModel(AssetModel model) {
        models.put(model);
    }

    AssetModels models() {
        return models;
    }

    private static void insertInOrder(List<Telemetry> pending, Telemetry t) {
        int i = pending.size();
        while (i > 0 && after(pending.get(i - 1), t)) {
            i--;
        }
        pending.add(i, t);
    }

    /** Event order (time, then sequence number); by hand, it runs for every reading. */
    private static boolean after(Telemetry a, Telemetry b) {
        return a.timestamp() > b.timestamp() || a.timestamp() == b.timestamp() && a.seq() > b.seq();
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<TwinSnapshot> out) throws Exception {
        AssetState st = state.value();
        if (st == null) {
            return;
        }
        if (time >= st.timer) {
            st.timer = Long.MAX_VALUE;
        }
        Emitter e = new Emitter(ctx.getCurrentKey(), st, out, ctx);
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        advance(e, endOfInput ? Long.MAX_VALUE : time, endOfInput);
        if (endOfInput) {
            if (st.twin.energy != null) {
                energy.finish(st.twin.energy, st.twin.lastSeen, energyOut(e, models.get(st.twin.assetType)));
            }
            twin.finish(e.asset(), st.twin, snapshot -> emitSnapshot(e, snapshot));
        }
        state.update(st);
    }

    /**
     * Runs the asset's agenda up to {@code limit} in event-time order; at equal times a reading goes
     * before a wake-up, and a wake-up before a window closing. At the end of a bounded input there
     * are no wake-ups: nobody goes offline because the input ended.
     */
    private void advance(Emitter e, long limit, boolean endOfInput) {
        AssetState st = e.st();
        long lastWake = Long.MIN_VALUE;
        while (true) {
            long reading = firstPending(st);
            long wake = endOfInput ? Long.MAX_VALUE : twin.nextWake(st.twin);
            if (wake <= lastWake) {
                wake = Long.MAX_VALUE; // nothing left to do at that time
            }
            long window = st.scoring == null ? Long.MAX_VALUE : scoring.nextWindowEnd(st.scoring);
            long deadline = controlDeadline(st);
            long next = Math.min(Math.min(reading, deadline), Math.min(wake, window));
            if (next == Long.MAX_VALUE || next > limit) {
                break;
            }
            if (reading == next) {
                if (!st.pendingDuplicates.isEmpty() && st.pendingDuplicates.get(0) == next) {
                    st.pendingDuplicates.remove(0);
                    twin.countDuplicate(st.twin);
                } else {
                    apply(e, st.pending.remove(0));
                }
            } else if (deadline == next) {
                if (st.notes != null) {
                    actions.advanceTo(st.notes, deadline, alert -> outputAlert(e, alert));
                }
                if (st.control != null) {
                    control.advanceTo(assetRef(e), st.control, models.get(st.twin.assetType), deadline, controlOut(e));
                    if (st.control.changed) {
                        twin.controlChanged(e.asset(), st.twin, deadline, snapshot -> emitSnapshot(e, snapshot));
                    }
                }
            } else if (wake == next) {
                lastWake = wake;
                AssetStatus before = st.twin.status;
                if (st.twin.energy != null) {
                    energy.onSilence(st.twin.energy, wake, energyOut(e, models.get(st.twin.assetType)));
                }
                twin.wake(e.asset(), st.twin, wake, snapshot -> emitSnapshot(e, snapshot));
                track(before, st.twin.status);
            } else {
                scoring.closeUpTo(e.asset(), st.scoring, window, score -> emitScore(e, score));
            }
        }
        st.released = Math.max(st.released, limit);
        if (!endOfInput) {
            scheduleTimer(e);
        }
    }

    /** Whether the reading carries a reported value of one of the model's settable properties. */
    private static boolean reportsSettable(AssetModel model, Telemetry t) {
        for (io.twinstream.schemas.SettableProperty p : model.settable()) {
            if (t.readings().containsKey(p.name())) {
                return true;
            }
        }
        return false;
    }

    /** Event time of the asset's next command expiry or drift to judge, or Long.MAX_VALUE. */
    private long controlDeadline(AssetState st) {
        long silence = st.notes == null ? Long.MAX_VALUE : actions.nextDeadline(st.notes);
        return Math.min(silence, st.control == null || st.twin.assetType == null ? Long.MAX_VALUE
                : control.nextDeadline(st.control, models.get(st.twin.assetType)));
    }

    /** Event time of the earliest waiting reading or duplicate, or Long.MAX_VALUE. */
    private static long firstPending(AssetState st) {
        return Math.min(st.pending.isEmpty() ? Long.MAX_VALUE : st.pending.get(0).timestamp(),
                st.pendingDuplicates.isEmpty() ? Long.MAX_VALUE : st.pendingDuplicates.get(0));
    }

    /**
     * One timer per asset, at its agenda's next item, for when no newer reading comes to run it. A reading that runs
     * the agenda past the timer moves it: left in place, it would wake the asset for nothing, and on RocksDB each
     * wake-up reads and rewrites the asset's whole value. Moving it costs a delete and an insert in the timer queue;
     * in the benchmark's 1,000-asset fleet it took wake-ups from 0.64 to 0.37 per reading (docs/performance-journal.md).
     */
    private void scheduleTimer(Emitter e) {
        AssetState st = e.st();
        long next = Math.min(Math.min(firstPending(st), controlDeadline(st)),
                Math.min(twin.nextWake(st.twin), st.scoring == null ? Long.MAX_VALUE : scoring.nextWindowEnd(st.scoring)));
        boolean passed = st.timer != Long.MAX_VALUE && st.timer <= st.released;
        if (next < st.timer || passed && next != st.timer) {
            if (st.timer != Long.MAX_VALUE) {
                e.ctx().timerService().deleteEventTimeTimer(st.timer);
            }
            if (next != Long.MAX_VALUE) {
                e.ctx().timerService().registerEventTimeTimer(next);
            }
            st.timer = next;
        }
    }

    private void apply(Emitter e, Telemetry t) {
        AssetState st = e.st();
        AssetEntry entry = st.twin.registry;
        if (entry != null && entry.siteId() != null && !entry.siteId().equals(t.siteId())) {
            // registered while the reading waited in the buffer: the registry's site wins here too
            t = new Telemetry(t.schemaVersion(), t.eventId(), t.assetId(), t.assetType(), entry.siteId(), t.timestamp(),
                    t.seq(), t.readings());
        }
        AssetModel model = models.get(t.assetType());
        if (model == null || st.twin.modelVersion != model.version() || !model.type().equals(st.twin.assetType)) {
            followModel(st, model, t);
        }
        AssetStatus before = st.twin.assetType == null ? null : st.twin.status;
        if (model != null && model.energy() != null) {
            if (st.twin.energy == null) {
                st.twin.energy = new EnergyMeter();
            }
            energy.onReading(st.twin.energy, model.energy(), model.samplingIntervalMs(), t.timestamp(), t.readings(),
                    energyOut(e, model));
        }
        twin.apply(e.asset(), st.twin, t, model, snapshot -> emitSnapshot(e, snapshot));
        track(before, st.twin.status);
        if (st.scoring == null) {
            st.scoring = scoring.newState(t);
        }
        if (scoring.score(st.scoring, t, model).added() == SlidingPanes.Added.TOO_LATE) {
            lateForWindow.inc();
        }
        if (model != null && !model.settable().isEmpty() && (st.control != null || reportsSettable(model, t))) {
            if (st.control == null) {
                st.control = new DeviceControl();
            }
            control.onReading(assetRef(e), st.control, model, t, controlOut(e));
            if (st.control.changed) {
                twin.controlChanged(e.asset(), st.twin, t.timestamp(), snapshot -> emitSnapshot(e, snapshot));
            }
        }
    }

    /**
     * The asset's model changed version or type (or it has none and its readings may add sensors): the twin and the
     * scores follow it, keeping what they learned of the sensors that remain.
     */
    private void followModel(AssetState st, AssetModel model, Telemetry t) {
        boolean wasInferred = st.twin.modelInferred;
        boolean changed = twin.followModel(st.twin, model, t.assetType());
        if (model == null && !wasInferred && st.twin.modelInferred) {
            inferredTwins.inc();
        }
        if ((changed || model == null) && st.scoring != null) {
            scoring.followModel(st.scoring, model, t);
        }
    }

    /** Where a closed energy bucket goes: to the roll-ups, with what the asset's model says about it. */
    private EnergyLogic.Buckets energyOut(Emitter e, AssetModel model) {
        TwinState t = e.st().twin;
        EnergySpec spec = model == null ? null : model.energy();
        return (start, closedAt, produced, consumed, volume) -> {
            if (spec != null) {
                e.ctx().output(ENERGY, RollupInput.energy(t.siteId, e.asset(), t.assetType, closedAt, start, produced,
                        consumed, spec.ratedKw() == null ? 0 : spec.ratedKw(), volume, spec.volumeFlow() != null,
                        spec.direction() == EnergySpec.Direction.STORAGE));
            }
        };
    }

    private void emitSnapshot(Emitter e, TwinSnapshot snapshot) {
        TwinSnapshot s = alerting.onSnapshot(e.asset(), e.st().alerts, snapshot, alert -> emitAlert(e, alert));
        EnergyMeter meter = e.st().twin.energy;
        if (meter != null) {
            AssetModel model = models.get(s.assetType());
            if (model != null && model.energy() != null) {
                s = s.withEnergy(EnergyLogic.view(meter, model.energy()));
            }
        }
        DeviceControl c = e.st().control;
        AlertNotes notes = e.st().notes;
        boolean silenced = OperatorActions.silenced(notes, s.snapshotTime());
        if (c != null || silenced) {
            ControlLogic.View v = c == null ? null : control.view(c, models.get(s.assetType()));
            int open = c == null ? 0 : c.openAlerts();
            s = s.withControl(s.openAlerts() == null ? Integer.valueOf(open) : Integer.valueOf(s.openAlerts() + open),
                    v == null ? null : v.properties(), v == null ? null : v.commands(),
                    silenced ? new TwinSnapshot.Silence(notes.silencedUntil, notes.silencedBy, notes.silenceNote) : null);
        }
        e.out().collect(s);
        if (historyIntervalMs >= 0 && keepsInHistory(e.st().twin, s)) {
            e.st().twin.lastHistoryTime = s.snapshotTime();
            e.ctx().output(HISTORY, s);
        }
    }

    /**
     * A change of status, registry entry, desired state or commands, and the last snapshot of a bounded run, always;
     * other snapshots at most once per {@code history.min-interval}: the history is for "what was it like at T", and
     * a twin's sensors move with every reading.
     */
    private boolean keepsInHistory(TwinState twin, TwinSnapshot s) {
        return switch (s.reason()) {
            case STATUS, REGISTRY, CONTROL, FINAL -> true;
            case CHANGE, PERIODIC -> twin.lastHistoryTime == Long.MIN_VALUE
                    || s.snapshotTime() - twin.lastHistoryTime >= historyIntervalMs;
        };
    }

    private void emitScore(Emitter e, AnomalyScore score) {
        e.ctx().output(SCORES, score);
        boolean rebaseline = alerting.onScore(e.asset(), e.st().alerts, score, alert -> emitAlert(e, alert));
        scoring.follow(e.st().scoring, e.st().alerts, rebaseline);
    }

    private void emitAlert(Emitter e, Alert alert) {
        int critical = alert.severity() == Alert.Severity.CRITICAL ? 1 : 0;
        switch (alert.state()) {
            case OPENED -> {
                alertsOpened.inc();
                fleet[3]++;
                fleet[4] += critical;
            }
            case UPDATED -> fleet[4] += critical; // an update is a rise from WARNING to CRITICAL
            case RESOLVED -> {
                alertsResolved.inc();
                fleet[3]--;
                fleet[4] -= critical;
            }
        }
        if (e.st().notes == null) {
            e.st().notes = new AlertNotes();
        }
        Alert raised = actions.onAlert(e.st().notes, alert);
        if (raised != null) {
            outputAlert(e, raised);
        } else {
            alertsHeld.inc();
        }
    }

    /** An alert event as it goes out: with the asset's registry entry. */
    private void outputAlert(Emitter e, Alert alert) {
        AssetEntry entry = e.st().twin.registry;
        e.ctx().output(ALERTS, entry == null ? alert : alert.withRegistry(entry.info()));
    }

    /**
     * An operator's action on one of the asset's alerts, or a silence: applied in the order of its partition; one on an
     * alert that is not open, or that changes nothing, is a dead letter with the reason.
     */
    private void act(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        AlertAction action = Json.MAPPER.readValue(in.registration(), AlertAction.class);
        AssetState st = state.value();
        if (st == null) {
            actionsRefused.inc();
            ctx.output(DEAD_LETTERS, DeadLetters.ofControl(RejectReason.INVALID_ALERT_ACTION, "asset "
                    + in.assetId() + " is not known", in, action.at()));
            return;
        }
        if (st.notes == null) {
            st.notes = new AlertNotes();
        }
        Emitter e = new Emitter(ctx.getCurrentKey(), st, out, ctx);
        String refused = actions.onAction(st.notes, action, alert -> outputAlert(e, alert));
        if (refused != null) {
            actionsRefused.inc();
            ctx.output(DEAD_LETTERS, DeadLetters.ofControl(RejectReason.INVALID_ALERT_ACTION, refused, in, action.at()));
            return;
        }
        actionsApplied.inc();
        if (action.action() == AlertAction.Action.SILENCE || action.action() == AlertAction.Action.UNSILENCE) {
            twin.controlChanged(e.asset(), st.twin, action.at(), snapshot -> emitSnapshot(e, snapshot));
        }
        if (st.released != Long.MIN_VALUE) {
            scheduleTimer(e);
        }
        state.update(st);
    }
}
