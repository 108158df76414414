package io.twinstream.jobs.twin;

import io.twinstream.jobs.snapshot.SnapshotSchedule;
import io.twinstream.jobs.snapshot.Snapshots;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * The digital twin of one asset, as plain logic over {@link TwinState}: admission (lateness,
 * deduplication), applying a reading (last values, running statistics, out-of-range flags), and
 * what happens as event time passes (STALE, OFFLINE, snapshot flushes and refreshes).
 */
public final class TwinLogic implements Serializable {
    private static final long serialVersionUID = 1L;

    private final AssetModels models;
    private final TwinSettings settings;
    private final SnapshotSchedule schedule;

    public TwinLogic(AssetModels models, TwinSettings settings) {
        this.models = models;
        this.settings = settings;
        this.schedule = new SnapshotSchedule(settings.snapshotMinIntervalMs(), settings.snapshotPeriodicIntervalMs());
    }

    /** What admission decided about a reading. */
    public enum Verdict { ACCEPT, DUPLICATE, LATE, SEQUENCE_TOO_OLD }

    /** Admission result, with a reason text for the rejected. */
    public record Admission(Verdict verdict, String reason) {
        public RejectReason rejectReason() {
            return verdict == Verdict.LATE ? RejectReason.LATE : RejectReason.SEQUENCE_TOO_OLD;
        }
    }

    private static final Admission ACCEPTED = new Admission(Verdict.ACCEPT, null);
    private static final Admission DUPLICATE = new Admission(Verdict.DUPLICATE, null);

    public TwinState newState() {
        TwinState s = new TwinState();
        s.seenSeqs = SequenceWindow.create(settings.dedupWindow());
        return s;
    }

    /**
     * Decides, on arrival, whether a reading enters the twin. {@code newest} is the newest event time
     * that arrived for this asset (accepted or waiting to be applied). Marks accepted sequence numbers
     * seen, so a duplicate is caught even before its original has been applied. A duplicate changes
     * nothing here: the caller counts it with {@link #countDuplicate} when event time reaches it.
     */
    public Admission admit(TwinState s, long newest, Telemetry t) {
        if (newest != Long.MIN_VALUE && newest - t.timestamp() > settings.allowedLatenessMs()) {
            return new Admission(Verdict.LATE, "event time " + t.timestamp() + " is " + (newest - t.timestamp())
                    + " ms older than the asset's newest reading (allowed lateness " + settings.allowedLatenessMs() + " ms)");
        }
        SequenceWindow.Verdict v = SequenceWindow.check(s.seenSeqs, s.maxSeq, t.seq());
        if (v == SequenceWindow.Verdict.DUPLICATE) {
            return DUPLICATE;
        }
        if (v == SequenceWindow.Verdict.TOO_OLD) {
            if (t.timestamp() <= newest) {
                return new Admission(Verdict.SEQUENCE_TOO_OLD, "seq " + t.seq() + " is more than "
                        + settings.dedupWindow() + " below the highest seen (" + s.maxSeq + ")");
            }
            // lower sequence number but newer event time: the device restarted its counter
            s.sequenceResets++;
            s.maxSeq = -1;
        }
        s.maxSeq = SequenceWindow.mark(s.seenSeqs, s.maxSeq, t.seq());
        return ACCEPTED;
    }

    /** Counts a dropped duplicate, in event-time order (at its reading's time) like everything the twin shows. */
    public void countDuplicate(TwinState s) {
        s.duplicatesDropped++;
    }

    /**
     * Makes the twin follow {@code model} (null: an inferred one): a sensor the model no longer declares leaves the
     * twin, the others keep their statistics. Returns whether anything changed (the caller then migrates the scores).
     */
    public boolean followModel(TwinState s, AssetModel model, String type) {
        int version = model == null ? 0 : model.version();
        boolean inferred = model == null;
        if (s.modelVersion == version && s.modelInferred == inferred && type.equals(s.assetType)) {
            return false;
        }
        if (model != null) {
            s.sensors.keySet().removeIf(name -> model.sensor(name) == null);
        }
        s.modelVersion = version;
        s.modelInferred = inferred;
        return s.assetType != null;
    }

    /** Applies an admitted reading, in event-time order. */
    public void apply(String assetId, TwinState s, Telemetry t, Consumer<TwinSnapshot> out) {
        apply(assetId, s, t, models.get(t.assetType()), out);
    }

    /** Applies an admitted reading of a type whose model in force the caller looked up already (null: none). */
    public void apply(String assetId, TwinState s, Telemetry t, AssetModel model, Consumer<TwinSnapshot> out) {
        // the model's own instance: later lookups of the state's type find it by identity
        s.assetType = model != null ? model.type() : t.assetType();
        s.siteId = t.siteId();
        s.lastSeen = Math.max(s.lastSeen, t.timestamp());
        if (s.firstSeen == null) {
            s.firstSeen = t.timestamp();
        }
        s.maxAppliedSeq = Math.max(s.maxAppliedSeq, t.seq());
        s.eventsAccepted++;
        s.dirty = true;
        if (model == null) { // an inferred model: whatever the readings carry, without a range
            for (java.util.Map.Entry<String, Double> e : t.readings().entrySet()) {
                s.sensors.computeIfAbsent(e.getKey(), k -> new SensorStats()).add(e.getValue(), t.timestamp(), null);
            }
        } else {
            // by the model's sensors, whose names hash once, rather than the reading's (the operator admits no others)
            for (SensorSpec spec : model.sensors()) {
                Double value = t.readings().get(spec.name());
                if (value != null) {
                    s.sensors.computeIfAbsent(spec.name(), k -> new SensorStats()).add(value, t.timestamp(), spec);
                }
            }
        }
        if (s.status != AssetStatus.ONLINE) {
            s.status = AssetStatus.ONLINE;
            emit(assetId, s, s.lastSeen, SnapshotReason.STATUS, out);
        } else {
            SnapshotReason reason = schedule.onChange(s, s.lastSeen);
            if (reason != null) {
                emit(assetId, s, s.lastSeen, reason, out);
            }
        }
    }

    /** The next event time at which {@link #wake} has something to do, or Long.MAX_VALUE. */
    public long nextWake(TwinState s) {
        if (s.assetType == null) {
            return Long.MAX_VALUE;
        }
        long interval = interval(s);
        long next = schedule.nextDue(s);
        if (s.status == AssetStatus.ONLINE) {
            next = Math.min(next, s.lastSeen + settings.staleAfterIntervals() * interval);
        } else if (s.status == AssetStatus.STALE) {
            next = Math.min(next, s.lastSeen + settings.offlineAfterIntervals() * interval);
        }
        return next;
    }

    /** Event time reached {@code time} with no newer reading: liveness and snapshot schedule. */
    public void wake(String assetId, TwinState s, long time, Consumer<TwinSnapshot> out) {
        long interval = interval(s);
        long silence = time - s.lastSeen;
        AssetStatus status = silence >= settings.offlineAfterIntervals() * interval ? AssetStatus.OFFLINE
                : silence >= settings.staleAfterIntervals() * interval ? AssetStatus.STALE : AssetStatus.ONLINE;
        if (status != s.status) {
            s.status = status;
            emit(assetId, s, time, SnapshotReason.STATUS, out);
        } else {
            SnapshotReason reason = schedule.onTimer(s, time);
            if (reason != null) {
                emit(assetId, s, time, reason, out);
            }
        }
    }

    private long interval(TwinState s) {
        AssetModel model = s.modelInferred ? null : models.get(s.assetType);
        return model == null ? settings.inferredIntervalMs() : model.samplingIntervalMs();
    }

    /** The asset's registry entry changed: a twin shows it at once (at its last snapshot's event time). */
    public void registryChanged(String assetId, TwinState s, Consumer<TwinSnapshot> out) {
        if (s.assetType != null) {
            emit(assetId, s, Math.max(s.lastSeen, s.lastSnapshotTime), SnapshotReason.REGISTRY, out);
        }
    }

    /** A desired value or a command changed: a twin shows it at once (at {@code time} or its last snapshot's). */
    public void controlChanged(String assetId, TwinState s, long time, Consumer<TwinSnapshot> out) {
        if (s.assetType != null) {
            emit(assetId, s, Math.max(time, s.lastSnapshotTime), SnapshotReason.CONTROL, out);
        }
    }

    /** The input ended: flush a pending change; nobody is declared offline for that. */
    public void finish(String assetId, TwinState s, Consumer<TwinSnapshot> out) {
        if (s.dirty) {
            emit(assetId, s, Math.max(s.lastSeen, s.lastSnapshotTime), SnapshotReason.FINAL, out);
        }
    }

    private static void emit(String assetId, TwinState s, long time, SnapshotReason reason, Consumer<TwinSnapshot> out) {
        s.lastSnapshotTime = time;
        s.dirty = false;
        out.accept(Snapshots.of(assetId, s, time, reason));
    }
}
