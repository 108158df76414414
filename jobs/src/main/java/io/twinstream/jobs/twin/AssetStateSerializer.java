package io.twinstream.jobs.twin;

import io.twinstream.jobs.alert.AlertNotes;
import io.twinstream.jobs.command.DeviceControl;
import io.twinstream.schemas.CommandStatus;

import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetEntry;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.Telemetry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of one asset's keyed value, written by hand because RocksDB (de)serializes that value on every
 * reading. Flink's POJO serializer took 55 to 65% of the twin operator's thread on RocksDB, a quarter of it in
 * reflection, and wrote the asset type, the site and every sensor name three or four times. This one writes each
 * distinct string once per value (later uses refer back to it), each array of numbers without its zero entries (a
 * young asset's panes and baselines are mostly zeros), and the covariance matrix as its upper triangle when it is
 * symmetric, as {@link io.twinstream.jobs.anomaly.AssetScorer} keeps it. Every value round-trips exactly, bit for bit.
 *
 * <p>Layout 2, the one written, also writes counters as varints, times as their distance from the asset's newest
 * reading, and a number the value already holds as a reference to its first copy. A young asset's value holds each
 * of its readings up to nine times (the twin's last value, mean, minimum and maximum, the scorer's last values,
 * baseline and range, the alerting stage's current values), and with a million assets every value passes through
 * RocksDB's memtables, flushes, compactions and checkpoint uploads, whose work grows with its bytes (docs,
 * performance-journal.md). Layout 1 is the same fields with fixed-width numbers; layout 3 adds the scorer's calibrated
 * surprise, seasonal profile, longest normal runs and held-baseline flag, and the alerting stage's last re-baseline;
 * layout 4 the twin's model version, inferred-model flag and registry entry (an asset restored from an older layout
 * follows version 1 of its built-in model); layout 5 the asset's desired and reported settable properties and its
 * commands ({@code DeviceControl}), and operators' annotations of its alerts and its silence ({@code AlertNotes});
 * layout 6 the time of the twin's latest history record and its energy meter. State written with an older layout is read and migrated.
 *
 * <p>Savepoints written with Flink's POJO serializer (before layout 1) restore too: Flink reads them with it and
 * migrates the state ({@link Snapshot#resolveSchemaCompatibility}). A field added to the state classes must be added
 * here, with a new layout version that can still read the old one.
 */
public final class AssetStateSerializer extends TypeSerializer<AssetState> {
    private static final long serialVersionUID = 1L;

    static final int VERSION = 6;

    /** The layout this serializer reads and writes: {@link #VERSION}, or 1 to read state written before it. */
    private final int layout;

    /**
     * The value is encoded here first and handed over in one write: RocksDB's backend gives the serializer a stream
     * wrapper, where each single-byte write was a chain of virtual calls (10% of the twin thread in a profile).
     */
    private transient DataOutputSerializer buffer;
    private transient Writer writer;

    public AssetStateSerializer() {
        this(VERSION);
    }

    /** A serializer of one layout: restores read state written in layout 1 with one; benchmarks compare them. */
    public AssetStateSerializer(int layout) {
        if (layout < 1 || layout > VERSION) {
            throw new IllegalArgumentException("unknown asset state layout version " + layout);
        }
        this.layout = layout;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<AssetState> duplicate() {
        return new AssetStateSerializer(layout); // a buffer of its own for each thread that uses it
    }

    @Override
    public AssetState createInstance() {
        return new AssetState();
    }

    /** A deep copy through the encoding: rare (the heap backend copies a value written during a snapshot). */
    @Override
    public AssetState copy(AssetState from) {
        try {
            DataOutputSerializer out = encode(from);
            AssetState copy = deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            releaseLargeBuffer();
            return copy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy an asset state", e);
        }
    }

    @Override
    public AssetState copy(AssetState from, AssetState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AssetState s, DataOutputView target) throws IOException {
        DataOutputSerializer out = encode(s);
        target.write(out.getSharedBuffer(), 0, out.length());
        releaseLargeBuffer();
    }

    /** {@code s} encoded into this serializer's buffer, whose writer keeps its tables from value to value. */
    private DataOutputSerializer encode(AssetState s) throws IOException {
        if (buffer == null) {
            buffer = new DataOutputSerializer(4096);
            writer = new Writer(buffer, layout);
        }
        buffer.clear();
        writer.value(s);
        return buffer;
    }

    /** One unusually large value does not keep its buffer alive. */
    private void releaseLargeBuffer() {
        if (buffer.getSharedBuffer().length > 1 << 20) {
            buffer = null;
        }
    }

    @Override
    public AssetState deserialize(DataInputView in) throws IOException {
        return new Reader(in, layout).value();
    }

    @Override
    public AssetState deserialize(AssetState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AssetStateSerializer other && other.layout == layout;
    }

    @Override
    public int hashCode() {
        return 31 * AssetStateSerializer.class.hashCode() + layout;
    }

    @Override
    public TypeSerializerSnapshot<AssetState> snapshotConfiguration() {
        return new Snapshot(layout);
    }

    /**
     * The layout version. State written with layout 1, or with Flink's POJO serializer (the layout before this class),
     * is migrated: Flink reads each value with the serializer that wrote it and writes it again with this one.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<AssetState> {
        private int layout;

        public Snapshot() {
            this(VERSION);
        }

        Snapshot(int layout) {
            this.layout = layout;
        }

        @Override
        public int getCurrentVersion() {
            return layout;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion < 1 || readVersion > VERSION) {
                throw new IOException("unknown asset state layout version " + readVersion);
            }
            layout = readVersion;
        }

        @Override
        public TypeSerializer<AssetState> restoreSerializer() {
            return new AssetStateSerializer(layout);
        }

        @Override
        public TypeSerializerSchemaCompatibility<AssetState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<AssetState> old) {
            if (old instanceof Snapshot s) {
                return s.layout == layout ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    // Strings: varint 0 = null, 1 = a new string follows, k >= 2 = the (k-2)th string of this value.
    // Layout 2 numbers: a double as a varint tag, 0 = zero bits, 1 = eight bytes follow, k >= 2 = the (k-2)th number
    // the value spelled out; in an array, entries come in fours behind a byte of 2-bit tags (0 zero, 1 spelled out,
    // 2 a reference whose varint follows). A time: varint 0 = none (Long.MIN_VALUE), 1 = Long.MAX_VALUE, 2 = eight
    // bytes follow, k >= 3 = the zigzag distance k-3 from the value's newest reading.

    private static final long ABSENT = Long.MIN_VALUE;
    private static final int ZERO = 0;
    private static final int SPELLED = 1;
    private static final int REFERENCE = 2;
    private static final int TIME_ABSENT = 0;
    private static final int TIME_MAX = 1;
    private static final int TIME_RAW = 2;
    private static final int TIME_DISTANCE = 3;

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    private static final class Writer {
        /** Numbers spelled out in this value, for references: open addressing on their bits, reset by generation. */
        private static final int TABLE_BITS = 9;
        private static final int TABLE = 1 << TABLE_BITS;
        /** Beyond this many numbers in one value the rest are spelled out, which keeps the probes short. */
        private static final int MAX_NUMBERS = TABLE / 2;

        final DataOutputSerializer out;
        final boolean compact;
        final int layout;
        String[] strings = new String[16];
        int count;
        long base;
        final long[] numberBits;
        final int[] numberIndex;
        final int[] numberGeneration;
        int generation;
        int numbers;
        final int[] groupRefs = new int[4];

        Writer(DataOutputSerializer out, int layout) {
            this.out = out;
            this.compact = layout >= 2;
            this.layout = layout;
            numberBits = compact ? new long[TABLE] : null;
            numberIndex = compact ? new int[TABLE] : null;
            numberGeneration = compact ? new int[TABLE] : null;
        }

        void value(AssetState s) throws IOException {
            Arrays.fill(strings, 0, count, null);
            count = 0;
            numbers = 0;
            if (compact && ++generation == 0) { // after 2^32 values: forget every generation before wrapping
                Arrays.fill(numberGeneration, 0);
                generation = 1;
            }
            nullableLong(s.newest);
            base = s.newest == ABSENT ? 0 : s.newest;
            time(s.released);
            time(s.timer);
            present(s.twin);
            if (s.twin != null) {
                twin(s.twin);
            }
            present(s.scoring);
            if (s.scoring != null) {
                scoring(s.scoring);
            }
            present(s.alerts);
            if (s.alerts != null) {
                alerts(s.alerts);
            }
            varint(s.pending.size());
            for (Telemetry t : s.pending) {
                telemetry(t);
            }
            varint(s.pendingDuplicates.size());
            for (Long time : s.pendingDuplicates) {
                rawTime(time);
            }
            if (layout >= 5) {
                present(s.control);
                if (s.control != null) {
                    control(s.control);
                }
                present(s.notes);
                if (s.notes != null) {
                    notes(s.notes);
                }
            }
        }

        void notes(AlertNotes n) throws IOException {
            varint(n.open.size());
            for (Map.Entry<String, String> e : n.open.entrySet()) {
                string(e.getKey());
                string(e.getValue());
            }
            varint(n.notes.size());
            for (Map.Entry<String, AlertNotes.Note> e : n.notes.entrySet()) {
                string(e.getKey());
                AlertNotes.Note note = e.getValue();
                out.writeBoolean(note.acknowledged);
                string(note.acknowledgedBy);
                time(note.acknowledgedAt);
                string(note.assignee);
                string(note.note);
            }
            varint(n.held.size());
            for (String id : n.held) {
                string(id);
            }
            time(n.silencedUntil);
            string(n.silencedBy);
            string(n.silenceNote);
            varint(n.resolved.size());
            for (String id : n.resolved) {
                string(id);
            }
        }

        void control(DeviceControl c) throws IOException {
            out.writeBoolean(c.changed);
            varint(c.properties.size());
            for (Map.Entry<String, DeviceControl.Property> e : c.properties.entrySet()) {
                string(e.getKey());
                DeviceControl.Property p = e.getValue();
                boxedDouble(p.desired);
                string(p.requestedBy);
                boxedDouble(p.reported);
                time(p.reportedAt);
                time(p.disagreeingSince);
                string(p.driftId);
                time(p.driftStart);
                string(p.commandAlertId);
                time(p.commandAlertStart);
                out.writeBoolean(p.commandAlertFailed);
            }
            varint(c.explicit.size());
            for (Map.Entry<String, DeviceControl.Property> e : c.explicit.entrySet()) {
                string(e.getKey());
                string(e.getValue().commandAlertId);
                time(e.getValue().commandAlertStart);
                out.writeBoolean(e.getValue().commandAlertFailed);
            }
            varint(c.commands.size());
            for (DeviceControl.Tracked t : c.commands) {
                string(t.commandId);
                string(t.name);
                string(t.property);
                boxedDouble(t.value);
                enumValue(t.state);
                time(t.issuedAt);
                time(t.expiresAt);
                time(t.updatedAt);
                string(t.detail);
            }
        }

        /** An int as 32 unsigned bits (negative ones take five bytes). */
        void varint(int v) throws IOException {
            varlong(Integer.toUnsignedLong(v));
        }

        void varlong(long v) throws IOException {
            while ((v & ~0x7FL) != 0) {
                out.writeByte((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.writeByte((int) v);
        }

        void present(Object o) throws IOException {
            out.writeBoolean(o != null);
        }

        /** Long.MIN_VALUE (the state's "not yet") in one byte; other values in nine. */
        void nullableLong(long v) throws IOException {
            out.writeBoolean(v != ABSENT);
            if (v != ABSENT) {
                out.writeLong(v);
            }
        }

        /** A time that layout 1 writes as {@link #nullableLong}. */
        void time(long t) throws IOException {
            if (compact) {
                distance(t);
            } else {
                nullableLong(t);
            }
        }

        /** A time that layout 1 writes as a plain long. */
        void rawTime(long t) throws IOException {
            if (compact) {
                distance(t);
            } else {
                out.writeLong(t);
            }
        }

        private void distance(long t) throws IOException {
            if (t == ABSENT) {
                varint(TIME_ABSENT);
            } else if (t == Long.MAX_VALUE) {
                varint(TIME_MAX);
            } else {
                long z = zigzag(t - base);
                if (Long.compareUnsigned(z, -1L - TIME_DISTANCE) > 0) { // z + TIME_DISTANCE would wrap
                    varint(TIME_RAW);
                    out.writeLong(t);
                } else {
                    varlong(z + TIME_DISTANCE);
                }
            }
        }

        /** A counter or sequence number (small, sometimes -1). */
        void counter(long v) throws IOException {
            if (compact) {
                varlong(zigzag(v));
            } else {
                out.writeLong(v);
            }
        }

        /** A small int that layout 1 writes in four bytes. */
        void smallInt(int v) throws IOException {
            if (compact) {
                varlong(zigzag(v));
            } else {
                out.writeInt(v);
            }
        }

        void number(double d) throws IOException {
            if (!compact) {
                out.writeDouble(d);
                return;
            }
            long bits = Double.doubleToRawLongBits(d);
            if (bits == 0) {
                varint(ZERO);
                return;
            }
            int known = known(bits);
            if (known >= 0) {
                varint(known + 2);
            } else {
                varint(SPELLED);
                out.writeLong(bits);
            }
        }

        /** The index of a number this value spelled out before, or -1 after remembering it as the next one. */
        private int known(long bits) {
            int slot = (int) (bits ^ (bits >>> 29) ^ (bits >>> 47)) * 0x9E3779B9 >>> (32 - TABLE_BITS);
            while (numberGeneration[slot] == generation) {
                if (numberBits[slot] == bits) {
                    return numberIndex[slot];
                }
                slot = slot + 1 & TABLE - 1;
            }
            if (numbers < MAX_NUMBERS) {
                numberGeneration[slot] = generation;
                numberBits[slot] = bits;
                numberIndex[slot] = numbers;
            }
            numbers++;
            return -1;
        }

        void string(String s) throws IOException {
            if (s == null) {
                varint(0);
                return;
            }
            for (int i = 0; i < count; i++) {
                if (strings[i] == s || strings[i].equals(s)) {
                    varint(i + 2);
                    return;
                }
            }
            if (count == strings.length) {
                strings = Arrays.copyOf(strings, count * 2);
            }
            strings[count++] = s;
            varint(1);
            StringValue.writeString(s, out);
        }

        void boxedDouble(Double d) throws IOException {
            out.writeBoolean(d != null);
            if (d != null) {
                number(d);
            }
        }

        <E extends Enum<E>> void enumValue(E e) throws IOException {
            varint(e == null ? 0 : e.ordinal() + 1);
        }

        /** Length + 1 (0 = null), then the entries (layout 1: per 8 entries a bitmap of the non-zero ones, and those). */
        void doubles(double[] a) throws IOException {
            if (a == null) {
                varint(0);
                return;
            }
            varint(a.length + 1);
            if (compact) {
                tagged(a);
            } else {
                nonZero(a.length, i -> Double.doubleToRawLongBits(a[i]));
            }
        }

        void longs(long[] a) throws IOException {
            if (a == null) {
                varint(0);
            } else {
                varint(a.length + 1);
                nonZero(a.length, i -> a[i]);
            }
        }

        private void nonZero(int length, IntToLongFunction bitsAt) throws IOException {
            for (int base = 0; base < length; base += 8) {
                int end = Math.min(base + 8, length);
                int map = 0;
                for (int i = base; i < end; i++) {
                    if (bitsAt.applyAsLong(i) != 0) {
                        map |= 1 << (i - base);
                    }
                }
                out.writeByte(map);
                for (int i = base; i < end; i++) {
                    if ((map & 1 << (i - base)) != 0) {
                        out.writeLong(bitsAt.applyAsLong(i));
                    }
                }
            }
        }

        /** Layout 2 arrays: in fours, a byte of 2-bit tags, then the spelled-out bits and references in order. */
        private void tagged(double[] a) throws IOException {
            int[] refs = groupRefs;
            for (int base = 0; base < a.length; base += 4) {
                int end = Math.min(base + 4, a.length);
                int tags = 0;
                for (int i = base; i < end; i++) {
                    long bits = Double.doubleToRawLongBits(a[i]);
                    int tag;
                    if (bits == 0) {
                        tag = ZERO;
                    } else {
                        refs[i - base] = known(bits);
                        tag = refs[i - base] >= 0 ? REFERENCE : SPELLED;
                    }
                    tags |= tag << 2 * (i - base);
                }
                out.writeByte(tags);
                for (int i = base; i < end; i++) {
                    int tag = tags >>> 2 * (i - base) & 3;
                    if (tag == SPELLED) {
                        out.writeLong(Double.doubleToRawLongBits(a[i]));
                    } else if (tag == REFERENCE) {
                        varint(refs[i - base]);
                    }
                }
            }
        }

        /** Small counters: zigzag varints. */
        void ints(int[] a) throws IOException {
            if (a == null) {
                varint(0);
                return;
            }
            varint(a.length + 1);
            for (int v : a) {
                varint((v << 1) ^ (v >> 31));
            }
        }

        /** An n x n matrix: its upper triangle when it is exactly symmetric, else all of it. */
        void squareMatrix(double[] a, int n) throws IOException {
            boolean symmetric = a != null && a.length == n * n;
            for (int i = 0; symmetric && i < n; i++) {
                for (int k = i + 1; k < n; k++) {
                    if (Double.doubleToRawLongBits(a[i * n + k]) != Double.doubleToRawLongBits(a[k * n + i])) {
                        symmetric = false;
                        break;
                    }
                }
            }
            out.writeBoolean(symmetric);
            if (!symmetric) {
                doubles(a);
                return;
            }
            double[] upper = new double[n * (n + 1) / 2];
            for (int i = 0, p = 0; i < n; i++) {
                for (int k = i; k < n; k++) {
                    upper[p++] = a[i * n + k];
                }
            }
            doubles(upper);
        }

        void twin(TwinState t) throws IOException {
            string(t.assetType);
            string(t.siteId);
            time(t.lastSeen);
            out.writeBoolean(t.firstSeen != null);
            if (t.firstSeen != null) {
                rawTime(t.firstSeen);
            }
            counter(t.maxSeq);
            counter(t.maxAppliedSeq);
            longs(t.seenSeqs);
            counter(t.eventsAccepted);
            counter(t.duplicatesDropped);
            counter(t.sequenceResets);
            enumValue(t.status);
            time(t.lastSnapshotTime);
            out.writeBoolean(t.dirty);
            varint(t.sensors == null ? 0 : t.sensors.size() + 1);
            if (t.sensors != null) {
                for (Map.Entry<String, SensorStats> e : t.sensors.entrySet()) {
                    string(e.getKey());
                    SensorStats s = e.getValue();
                    present(s);
                    if (s != null) {
                        number(s.lastValue);
                        time(s.lastTimestamp);
                        counter(s.count);
                        number(s.mean);
                        number(s.m2);
                        number(s.min);
                        number(s.max);
                        out.writeBoolean(s.outOfRange);
                        counter(s.outOfRangeCount);
                    }
                }
            }
            if (layout >= 4) {
                varint(t.modelVersion);
                out.writeBoolean(t.modelInferred);
                registry(t.registry);
            }
            if (layout >= 6) {
                time(t.lastHistoryTime);
                io.twinstream.jobs.energy.EnergyMeter m = t.energy;
                out.writeBoolean(m != null);
                if (m != null) {
                    time(m.since);
                    time(m.lastTime);
                    number(m.lastPower);
                    number(m.lastFlow);
                    number(m.lastCounter);
                    time(m.bucketStart);
                    time(m.hourStart);
                    time(m.dayStart);
                    time(m.previousHourStart);
                    time(m.previousDayStart);
                    time(m.coveredTo);
                    for (double v : m.sums) {
                        number(v);
                    }
                }
            }
        }

        /** The registry entry field by field: written with every reading, it must cost no more than its bytes. */
        void registry(AssetEntry r) throws IOException {
            out.writeBoolean(r != null);
            if (r == null) {
                return;
            }
            varint(r.schemaVersion());
            string(r.assetId());
            string(r.assetType());
            string(r.siteId());
            string(r.displayName());
            boxedDouble(r.latitude());
            boxedDouble(r.longitude());
            string(r.parentId());
            varint(r.tags().size());
            for (String tag : r.tags()) {
                string(tag);
            }
            string(r.commissionedOn());
        }

        void scoring(ScoringState s) throws IOException {
            string(s.assetType);
            string(s.siteId);
            varint(s.sensors == null ? 0 : s.sensors.length + 1);
            if (s.sensors != null) {
                for (String name : s.sensors) {
                    string(name);
                }
            }
            counter(s.samples);
            time(s.lastTimestamp);
            doubles(s.last);
            doubles(s.mean);
            squareMatrix(s.cov, s.sensors == null ? 0 : s.sensors.length);
            doubles(s.residualScale);
            doubles(s.shift);
            doubles(s.changeVar);
            doubles(s.seenMin);
            doubles(s.seenMax);
            ints(s.repeatRun);
            doubles(s.repeatProbability);
            rawTime(s.trendOrigin);
            number(s.trendTimeMean);
            number(s.trendTimeVar);
            doubles(s.trendValueMean);
            doubles(s.trendCov);
            doubles(s.trendValueVar);
            time(s.newest);
            time(s.lastFiredWindowEnd);
            varint(s.paneEnd == null ? 0 : s.paneEnd.length + 1);
            if (s.paneEnd != null) {
                for (long end : s.paneEnd) {
                    time(end);
                }
            }
            doubles(s.paneScore);
            ints(s.paneDetector);
            doubles(s.paneObserved);
            doubles(s.paneExpected);
            ints(s.paneSamples);
            if (layout >= 3) {
                doubles(s.surprise);
                doubles(s.season);
                ints(s.longestRun);
                out.writeBoolean(s.baselineHeld);
            }
        }

        void alerts(AssetAlerts a) throws IOException {
            string(a.assetType);
            string(a.siteId);
            varint(a.currentValues == null ? 0 : a.currentValues.size() + 1);
            if (a.currentValues != null) {
                for (Map.Entry<String, Double> e : a.currentValues.entrySet()) {
                    string(e.getKey());
                    boxedDouble(e.getValue());
                }
            }
            boxedDouble(a.health);
            varint(a.maintenance == null ? 0 : a.maintenance.size() + 1);
            if (a.maintenance != null) {
                for (Map.Entry<String, SensorScore> e : a.maintenance.entrySet()) {
                    string(e.getKey());
                    SensorScore s = e.getValue();
                    present(s);
                    if (s != null) {
                        number(s.score());
                        enumValue(s.detector());
                        number(s.observed());
                        number(s.expected());
                        smallInt(s.samples());
                        number(s.trendPerHour());
                        boxedDouble(s.rulSeconds());
                    }
                }
            }
            smallInt(a.highStreak);
            smallInt(a.lowStreak);
            rawTime(a.firstHighWindowStart);
            string(a.anomalyId);
            rawTime(a.anomalyStart);
            enumValue(a.anomalySeverity);
            string(a.offlineId);
            rawTime(a.offlineStart);
            if (layout >= 3) {
                time(a.rebaselinedThrough);
            }
        }

        void telemetry(Telemetry t) throws IOException {
            smallInt(t.schemaVersion());
            string(t.eventId());
            string(t.assetId());
            string(t.assetType());
            string(t.siteId());
            rawTime(t.timestamp());
            counter(t.seq());
            varint(t.readings() == null ? 0 : t.readings().size() + 1);
            if (t.readings() != null) {
                for (Map.Entry<String, Double> e : t.readings().entrySet()) {
                    string(e.getKey());
                    boxedDouble(e.getValue());
                }
            }
        }
    }

    private static final class Reader {
        final DataInputView in;
        final boolean compact;
        final int layout;
        final List<String> strings = new ArrayList<>();
        long base;
        long[] numbers = new long[32];
        int numberCount;

        Reader(DataInputView in, int layout) {
            this.in = in;
            this.compact = layout >= 2;
            this.layout = layout;
        }

        AssetState value() throws IOException {
            AssetState s = new AssetState();
            s.newest = nullableLong();
            base = s.newest == ABSENT ? 0 : s.newest;
            s.released = time();
            s.timer = time();
            s.twin = in.readBoolean() ? twin() : null;
            s.scoring = in.readBoolean() ? scoring() : null;
            s.alerts = in.readBoolean() ? alerts() : null;
            int pending = varint();
            for (int i = 0; i < pending; i++) {
                s.pending.add(telemetry());
            }
            int duplicates = varint();
            for (int i = 0; i < duplicates; i++) {
                s.pendingDuplicates.add(rawTime());
            }
            if (layout >= 5) {
                s.control = in.readBoolean() ? control() : null;
                s.notes = in.readBoolean() ? notes() : null;
            }
            return s;
        }

        AlertNotes notes() throws IOException {
            AlertNotes n = new AlertNotes();
            int open = varint();
            for (int i = 0; i < open; i++) {
                String id = string();
                n.open.put(id, string());
            }
            int notes = varint();
            for (int i = 0; i < notes; i++) {
                String id = string();
                AlertNotes.Note note = new AlertNotes.Note();
                note.acknowledged = in.readBoolean();
                note.acknowledgedBy = string();
                note.acknowledgedAt = time();
                note.assignee = string();
                note.note = string();
                n.notes.put(id, note);
            }
            int held = varint();
            for (int i = 0; i < held; i++) {
                n.held.add(string());
            }
            n.silencedUntil = time();
            n.silencedBy = string();
            n.silenceNote = string();
            int resolved = varint();
            for (int i = 0; i < resolved; i++) {
                n.resolved.add(string());
            }
            return n;
        }

        DeviceControl control() throws IOException {
            DeviceControl c = new DeviceControl();
            c.changed = in.readBoolean();
            int properties = varint();
            for (int i = 0; i < properties; i++) {
                String name = string();
                DeviceControl.Property p = new DeviceControl.Property();
                p.desired = boxedDouble();
                p.requestedBy = string();
                p.reported = boxedDouble();
                p.reportedAt = time();
                p.disagreeingSince = time();
                p.driftId = string();
                p.driftStart = time();
                p.commandAlertId = string();
                p.commandAlertStart = time();
                p.commandAlertFailed = in.readBoolean();
                c.properties.put(name, p);
            }
            int explicit = varint();
            for (int i = 0; i < explicit; i++) {
                String name = string();
                DeviceControl.Property p = new DeviceControl.Property();
                p.commandAlertId = string();
                p.commandAlertStart = time();
                p.commandAlertFailed = in.readBoolean();
                c.explicit.put(name, p);
            }
            int commands = varint();
            for (int i = 0; i < commands; i++) {
                DeviceControl.Tracked t = new DeviceControl.Tracked();
                t.commandId = string();
                t.name = string();
                t.property = string();
                t.value = boxedDouble();
                t.state = enumValue(CommandStatus.State.values());
                t.issuedAt = time();
                t.expiresAt = time();
                t.updatedAt = time();
                t.detail = string();
                c.commands.add(t);
            }
            return c;
        }

        /** An int the writer's varint wrote as 32 unsigned bits. */
        int varint() throws IOException {
            long v = varlong();
            if (v >>> 32 != 0) {
                throw new IOException("malformed varint in asset state");
            }
            return (int) v;
        }

        long varlong() throws IOException {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
                if (shift > 56) {
                    throw new IOException("malformed varint in asset state");
                }
            }
        }

        long nullableLong() throws IOException {
            return in.readBoolean() ? in.readLong() : ABSENT;
        }

        long time() throws IOException {
            return compact ? distance() : nullableLong();
        }

        long rawTime() throws IOException {
            return compact ? distance() : in.readLong();
        }

        private long distance() throws IOException {
            long code = varlong();
            if (code == TIME_ABSENT) {
                return ABSENT;
            }
            if (code == TIME_MAX) {
                return Long.MAX_VALUE;
            }
            if (code == TIME_RAW) {
                return in.readLong();
            }
            return base + unzigzag(code - TIME_DISTANCE);
        }

        long counter() throws IOException {
            return compact ? unzigzag(varlong()) : in.readLong();
        }

        int smallInt() throws IOException {
            return compact ? (int) unzigzag(varlong()) : in.readInt();
        }

        double number() throws IOException {
            if (!compact) {
                return in.readDouble();
            }
            int tag = varint();
            return Double.longBitsToDouble(tag == ZERO ? 0 : tag == SPELLED ? spelled() : known(tag - 2));
        }

        private long spelled() throws IOException {
            long bits = in.readLong();
            if (numberCount == numbers.length) {
                numbers = Arrays.copyOf(numbers, numberCount * 2);
            }
            numbers[numberCount++] = bits;
            return bits;
        }

        private long known(int index) throws IOException {
            if (index < 0 || index >= numberCount) {
                throw new IOException("asset state refers to number " + index + " of " + numberCount);
            }
            return numbers[index];
        }

        String string() throws IOException {
            int code = varint();
            if (code == 0) {
                return null;
            }
            if (code == 1) {
                String s = StringValue.readString(in);
                strings.add(s);
                return s;
            }
            return strings.get(code - 2);
        }

        Double boxedDouble() throws IOException {
            return in.readBoolean() ? number() : null;
        }

        <E extends Enum<E>> E enumValue(E[] values) throws IOException {
            int code = varint();
            return code == 0 ? null : values[code - 1];
        }

        /** Length + 1 or 0 for null: the size of a collection written by the writer. */
        int size() throws IOException {
            return varint() - 1;
        }

        double[] doubles() throws IOException {
            int n = size();
            if (n < 0) {
                return null;
            }
            double[] a = new double[n];
            if (compact) {
                tagged(a);
            } else {
                nonZero(n, (i, bits) -> a[i] = Double.longBitsToDouble(bits));
            }
            return a;
        }

        private void tagged(double[] a) throws IOException {
            for (int base = 0; base < a.length; base += 4) {
                int tags = in.readUnsignedByte();
                for (int i = base; i < Math.min(base + 4, a.length); i++) {
                    int tag = tags >>> 2 * (i - base) & 3;
                    if (tag == SPELLED) {
                        a[i] = Double.longBitsToDouble(spelled());
                    } else if (tag == REFERENCE) {
                        a[i] = Double.longBitsToDouble(known(varint()));
                    } else if (tag != ZERO) {
                        throw new IOException("malformed number tag in asset state");
                    }
                }
            }
        }

        long[] longs() throws IOException {
            int n = size();
            if (n < 0) {
                return null;
            }
            long[] a = new long[n];
            nonZero(n, (i, bits) -> a[i] = bits);
            return a;
        }

        private interface Entries {
            void set(int index, long bits);
        }

        /** Layout 1 arrays and all long arrays: per 8 entries a bitmap of the non-zero ones, then their bits. */
        private void nonZero(int n, Entries to) throws IOException {
            for (int base = 0; base < n; base += 8) {
                int map = in.readUnsignedByte();
                for (int i = base; i < Math.min(base + 8, n); i++) {
                    if ((map & 1 << (i - base)) != 0) {
                        to.set(i, in.readLong());
                    }
                }
            }
        }

        int[] ints() throws IOException {
            int n = size();
            if (n < 0) {
                return null;
            }
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                int z = varint();
                a[i] = (z >>> 1) ^ -(z & 1);
            }
            return a;
        }

        double[] squareMatrix(int n) throws IOException {
            if (!in.readBoolean()) {
                return doubles();
            }
            double[] upper = doubles();
            double[] a = new double[n * n];
            for (int i = 0, p = 0; i < n; i++) {
                for (int k = i; k < n; k++, p++) {
                    a[i * n + k] = upper[p];
                    a[k * n + i] = upper[p];
                }
            }
            return a;
        }

        TwinState twin() throws IOException {
            TwinState t = new TwinState();
            t.assetType = string();
            t.siteId = string();
            t.lastSeen = time();
            t.firstSeen = in.readBoolean() ? rawTime() : null;
            t.maxSeq = counter();
            t.maxAppliedSeq = counter();
            t.seenSeqs = longs();
            t.eventsAccepted = counter();
            t.duplicatesDropped = counter();
            t.sequenceResets = counter();
            t.status = enumValue(AssetStatus.values());
            t.lastSnapshotTime = time();
            t.dirty = in.readBoolean();
            int sensors = size();
            t.sensors = sensors < 0 ? null : new LinkedHashMap<>(Math.max(4, sensors * 2));
            for (int i = 0; i < sensors; i++) {
                String name = string();
                SensorStats s = null;
                if (in.readBoolean()) {
                    s = new SensorStats();
                    s.lastValue = number();
                    s.lastTimestamp = time();
                    s.count = counter();
                    s.mean = number();
                    s.m2 = number();
                    s.min = number();
                    s.max = number();
                    s.outOfRange = in.readBoolean();
                    s.outOfRangeCount = counter();
                }
                t.sensors.put(name, s);
            }
            if (layout >= 4) {
                t.modelVersion = varint();
                t.modelInferred = in.readBoolean();
                t.registry = registry();
            } else if (t.assetType != null) {
                t.modelVersion = 1; // before layout 4 every twin followed a built-in model, all at version 1
            }
            if (layout >= 6) {
                t.lastHistoryTime = time();
                if (in.readBoolean()) {
                    io.twinstream.jobs.energy.EnergyMeter m = new io.twinstream.jobs.energy.EnergyMeter();
                    m.since = time();
                    m.lastTime = time();
                    m.lastPower = number();
                    m.lastFlow = number();
                    m.lastCounter = number();
                    m.bucketStart = time();
                    m.hourStart = time();
                    m.dayStart = time();
                    m.previousHourStart = time();
                    m.previousDayStart = time();
                    m.coveredTo = time();
                    for (int i = 0; i < m.sums.length; i++) {
                        m.sums[i] = number();
                    }
                    t.energy = m;
                }
            }
            return t;
        }

        AssetEntry registry() throws IOException {
            if (!in.readBoolean()) {
                return null;
            }
            int schemaVersion = varint();
            String assetId = string();
            String assetType = string();
            String siteId = string();
            String displayName = string();
            Double latitude = boxedDouble();
            Double longitude = boxedDouble();
            String parentId = string();
            int tagCount = varint();
            java.util.List<String> tags = new java.util.ArrayList<>(tagCount);
            for (int i = 0; i < tagCount; i++) {
                tags.add(string());
            }
            return new AssetEntry(schemaVersion, assetId, assetType, siteId, displayName, latitude, longitude, parentId,
                    tags, string());
        }

        ScoringState scoring() throws IOException {
            ScoringState s = new ScoringState();
            s.assetType = string();
            s.siteId = string();
            int n = size();
            if (n >= 0) {
                s.sensors = new String[n];
                for (int i = 0; i < n; i++) {
                    s.sensors[i] = string();
                }
            }
            s.samples = counter();
            s.lastTimestamp = time();
            s.last = doubles();
            s.mean = doubles();
            s.cov = squareMatrix(Math.max(0, n));
            s.residualScale = doubles();
            s.shift = doubles();
            s.changeVar = doubles();
            s.seenMin = doubles();
            s.seenMax = doubles();
            s.repeatRun = ints();
            s.repeatProbability = doubles();
            s.trendOrigin = rawTime();
            s.trendTimeMean = number();
            s.trendTimeVar = number();
            s.trendValueMean = doubles();
            s.trendCov = doubles();
            s.trendValueVar = doubles();
            s.newest = time();
            s.lastFiredWindowEnd = time();
            int panes = size();
            if (panes >= 0) {
                s.paneEnd = new long[panes];
                for (int p = 0; p < panes; p++) {
                    s.paneEnd[p] = time();
                }
            }
            s.paneScore = doubles();
            s.paneDetector = ints();
            s.paneObserved = doubles();
            s.paneExpected = doubles();
            s.paneSamples = ints();
            if (layout >= 3) { // before layout 3 these start empty: the scorer creates them as it needs them
                s.surprise = doubles();
                // a profile written before the daily amplitudes (same layout number) gets them at 1
                s.season = io.twinstream.jobs.anomaly.Seasonality.migrate(doubles(), s.sensors.length);
                s.longestRun = ints();
                s.baselineHeld = in.readBoolean();
            }
            return s;
        }

        AssetAlerts alerts() throws IOException {
            AssetAlerts a = new AssetAlerts();
            a.assetType = string();
            a.siteId = string();
            int values = size();
            a.currentValues = values < 0 ? null : new LinkedHashMap<>(Math.max(4, values * 2));
            for (int i = 0; i < values; i++) {
                a.currentValues.put(string(), boxedDouble());
            }
            a.health = boxedDouble();
            int maintenance = size();
            a.maintenance = maintenance < 0 ? null : new TreeMap<>(); // as the scorer builds it
            for (int i = 0; i < maintenance; i++) {
                String name = string();
                SensorScore s = null;
                if (in.readBoolean()) {
                    s = new SensorScore(number(), enumValue(Detector.values()), number(), number(),
                            smallInt(), number(), boxedDouble());
                }
                a.maintenance.put(name, s);
            }
            a.highStreak = smallInt();
            a.lowStreak = smallInt();
            a.firstHighWindowStart = rawTime();
            a.anomalyId = string();
            a.anomalyStart = rawTime();
            a.anomalySeverity = enumValue(Alert.Severity.values());
            a.offlineId = string();
            a.offlineStart = rawTime();
            if (layout >= 3) {
                a.rebaselinedThrough = time();
            }
            return a;
        }

        Telemetry telemetry() throws IOException {
            int version = smallInt();
            String eventId = string();
            String assetId = string();
            String assetType = string();
            String siteId = string();
            long timestamp = rawTime();
            long seq = counter();
            int n = size();
            Map<String, Double> readings = null;
            if (n >= 0) {
                readings = new LinkedHashMap<>(Math.max(4, n * 2));
                for (int i = 0; i < n; i++) {
                    readings.put(string(), boxedDouble());
                }
            }
            return new Telemetry(version, eventId, assetId, assetType, siteId, timestamp, seq, readings);
        }
    }
}
