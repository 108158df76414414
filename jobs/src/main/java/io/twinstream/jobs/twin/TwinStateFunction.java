package io.twinstream.jobs.twin;

import io.twinstream.jobs.io.DeadLetters;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.jobs.snapshot.SnapshotSchedule;
import io.twinstream.jobs.snapshot.Snapshots;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps one digital twin per asset (keyed by asset id): deduplicates by sequence number, rejects
 * readings later than the allowed lateness, keeps last value and running statistics per sensor,
 * flags out-of-range values, tracks liveness (ONLINE, STALE, OFFLINE) and emits snapshots.
 *
 * <p>Lateness is judged per asset against its own newest reading, not against the watermark, so
 * the same input always gives the same dead letters, whatever the speed of replay. Liveness and
 * snapshot timing use event-time timers: an asset that goes silent while the rest of the fleet
 * reports is marked STALE, then OFFLINE, as the watermark passes. When the asset reports again
 * before the watermark got there (a replay reads some partitions ahead of others), the OFFLINE spell
 * is reported on arrival, at the event time it began, so replays see the same incidents as the live
 * run. If every partition goes silent the watermark stops and so do these timers.
 * When a bounded input ends (watermark at Long.MAX_VALUE) pending changes are flushed as FINAL
 * snapshots without declaring anyone offline.
 */
public class TwinStateFunction extends KeyedProcessFunction<String, Ingested, TwinSnapshot> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("twin-dead-letters", TypeInformation.of(DeadLetter.class));
    /** Every reading the twin accepted (not late, not a duplicate), for the scoring stage. */
    public static final OutputTag<Telemetry> ACCEPTED =
            new OutputTag<>("accepted-readings", TypeInformation.of(Telemetry.class));

    private final AssetModels models;
    private final TwinSettings settings;
    private final SnapshotSchedule schedule;

    private transient ValueState<TwinState> twin;
    private transient Counter accepted;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter tooOld;
    private transient Counter sequenceResets;

    public TwinStateFunction(AssetModels models, TwinSettings settings) {
        this.models = models;
        this.settings = settings;
        this.schedule = new SnapshotSchedule(settings.snapshotMinIntervalMs(), settings.snapshotPeriodicIntervalMs());
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<TwinState> descriptor = new ValueStateDescriptor<>("twin", TwinState.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(settings.stateTtlMs()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        twin = getRuntimeContext().getState(descriptor);
        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("twinstream");
        accepted = m.counter("readingsAccepted");
        duplicates = m.counter("duplicatesDropped");
        late = m.counter("lateRecords");
        tooOld = m.counter("sequenceTooOld");
        sequenceResets = m.counter("sequenceResets");
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<TwinSnapshot> out) throws Exception {
        Telemetry t = in.telemetry();
        TwinState s = twin.value();
        if (s == null) {
            s = new TwinState();
            s.seenSeqs = SequenceWindow.create(settings.dedupWindow());
        }
        if (s.lastSeen != Long.MIN_VALUE && s.lastSeen - t.timestamp() > settings.allowedLatenessMs()) {
            late.inc();
            ctx.output(DEAD_LETTERS, DeadLetters.ofReading(RejectReason.LATE,
                    "event time " + t.timestamp() + " is " + (s.lastSeen - t.timestamp())
                            + " ms older than the asset's newest reading (allowed lateness "
                            + settings.allowedLatenessMs() + " ms)", in));
            return;
        }
        SequenceWindow.Verdict verdict = SequenceWindow.check(s.seenSeqs, s.maxSeq, t.seq());
        if (verdict == SequenceWindow.Verdict.DUPLICATE) {
            duplicates.inc();
            s.duplicatesDropped++;
            twin.update(s);
            return;
        }
        if (verdict == SequenceWindow.Verdict.TOO_OLD) {
            if (t.timestamp() <= s.lastSeen) {
                tooOld.inc();
                ctx.output(DEAD_LETTERS, DeadLetters.ofReading(RejectReason.SEQUENCE_TOO_OLD,
                        "seq " + t.seq() + " is more than " + settings.dedupWindow()
                                + " below the highest seen (" + s.maxSeq + ")", in));
                return;
            }
            // lower sequence number but newer event time: the device restarted its counter
            sequenceResets.inc();
            s.sequenceResets++;
            s.maxSeq = -1;
        }
        s.maxSeq = SequenceWindow.mark(s.seenSeqs, s.maxSeq, t.seq());
        reportMissedOffline(ctx.getCurrentKey(), s, t.timestamp(), out);
        apply(s, t);
        accepted.inc();
        ctx.output(ACCEPTED, t);

        if (s.status != AssetStatus.ONLINE) {
            s.status = AssetStatus.ONLINE;
            emit(ctx.getCurrentKey(), s, s.lastSeen, SnapshotReason.STATUS, out);
        } else {
            SnapshotReason reason = schedule.onChange(s, s.lastSeen);
            if (reason != null) {
                emit(ctx.getCurrentKey(), s, s.lastSeen, reason, out);
            }
        }
        scheduleWake(s, ctx.timerService());
        twin.update(s);
    }

    /**
     * A reading that ends a silence longer than the offline threshold while the twin still says
     * ONLINE or STALE: the watermark had not passed the deadline yet (a replay reading one partition
     * ahead of another does that), so report the OFFLINE spell now, at the event time it began.
     */
    private void reportMissedOffline(String assetId, TwinState s, long timestamp, Collector<TwinSnapshot> out) {
        if (s.lastSeen == Long.MIN_VALUE || s.status == AssetStatus.OFFLINE) {
            return;
        }
        long offlineAt = s.lastSeen + settings.offlineAfterIntervals() * models.get(s.assetType).samplingIntervalMs();
        if (timestamp >= offlineAt) {
            s.status = AssetStatus.OFFLINE;
            emit(assetId, s, offlineAt, SnapshotReason.STATUS, out);
        }
    }

    private void apply(TwinState s, Telemetry t) {
        AssetModel model = models.get(t.assetType());
        s.assetType = t.assetType();
        s.siteId = t.siteId();
        s.lastSeen = Math.max(s.lastSeen, t.timestamp());
        s.eventsAccepted++;
        s.dirty = true;
        for (Map.Entry<String, Double> r : t.readings().entrySet()) {
            s.sensors.computeIfAbsent(r.getKey(), k -> new SensorStats())
                    .add(r.getValue(), t.timestamp(), model.sensor(r.getKey()));
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<TwinSnapshot> out) throws Exception {
        TwinState s = twin.value();
        if (s == null) {
            return;
        }
        if (time >= s.nextWake) {
            s.nextWake = Long.MAX_VALUE;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            if (s.dirty) {
                emit(ctx.getCurrentKey(), s, Math.max(s.lastSeen, s.lastSnapshotTime), SnapshotReason.FINAL, out);
                twin.update(s);
            }
            return;
        }
        AssetStatus status = statusAt(s, time);
        if (status != s.status) {
            s.status = status;
            emit(ctx.getCurrentKey(), s, time, SnapshotReason.STATUS, out);
        } else {
            SnapshotReason reason = schedule.onTimer(s, time);
            if (reason != null) {
                emit(ctx.getCurrentKey(), s, time, reason, out);
            }
        }
        scheduleWake(s, ctx.timerService());
        twin.update(s);
    }

    private AssetStatus statusAt(TwinState s, long time) {
        long interval = models.get(s.assetType).samplingIntervalMs();
        long silence = time - s.lastSeen;
        if (silence >= settings.offlineAfterIntervals() * interval) {
            return AssetStatus.OFFLINE;
        }
        return silence >= settings.staleAfterIntervals() * interval ? AssetStatus.STALE : AssetStatus.ONLINE;
    }

    /** One pending timer per asset at the earliest time anything can change. */
    private void scheduleWake(TwinState s, org.apache.flink.streaming.api.TimerService timers) {
        long interval = models.get(s.assetType).samplingIntervalMs();
        long next = schedule.nextDue(s);
        if (s.status == AssetStatus.ONLINE) {
            next = Math.min(next, s.lastSeen + settings.staleAfterIntervals() * interval);
        } else if (s.status == AssetStatus.STALE) {
            next = Math.min(next, s.lastSeen + settings.offlineAfterIntervals() * interval);
        }
        if (next != Long.MAX_VALUE && next < s.nextWake) {
            timers.registerEventTimeTimer(next);
            s.nextWake = next;
        }
    }

    private static void emit(String assetId, TwinState s, long time, SnapshotReason reason,
            Collector<TwinSnapshot> out) {
        s.lastSnapshotTime = time;
        s.dirty = false;
        out.collect(Snapshots.of(assetId, s, time, reason));
    }
}
