package io.twinstream.jobs.twin;

import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.schemas.Alert;
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
 * distinct string once per value (later uses refer back to it), each array of numbers with a bitmap of its zero
 * entries instead of the zeros (a young asset's panes and baselines are mostly zeros), and the covariance matrix
 * as its upper triangle when it is symmetric, as {@link io.twinstream.jobs.anomaly.AssetScorer} keeps it.
 * Every value round-trips exactly, bit for bit.
 *
 * <p>Savepoints written with the POJO serializer restore: Flink reads them with it and migrates the state to this
 * one ({@link Snapshot#resolveSchemaCompatibility}). A field added to the state classes must be added here, with a
 * new {@link Snapshot} version that can still read the old layout.
 */
public final class AssetStateSerializer extends TypeSerializer<AssetState> {
    private static final long serialVersionUID = 1L;

    static final int VERSION = 1;

    /**
     * The value is encoded here first and handed over in one write: RocksDB's backend gives the serializer a stream
     * wrapper, where each single-byte write was a chain of virtual calls (10% of the twin thread in a profile).
     */
    private transient DataOutputSerializer buffer;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<AssetState> duplicate() {
        return new AssetStateSerializer(); // a buffer of its own for each thread that uses it
    }

    @Override
    public AssetState createInstance() {
        return new AssetState();
    }

    /** A deep copy through the encoding: rare (the heap backend copies a value written during a snapshot). */
    @Override
    public AssetState copy(AssetState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            write(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
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
        if (buffer == null) {
            buffer = new DataOutputSerializer(4096);
        }
        DataOutputSerializer out = buffer;
        out.clear();
        write(s, out);
        target.write(out.getSharedBuffer(), 0, out.length());
        if (out.getSharedBuffer().length > 1 << 20) {
            buffer = null; // one unusually large value does not keep its buffer alive
        }
    }

    private static void write(AssetState s, DataOutputSerializer out) throws IOException {
        Writer w = new Writer(out);
        w.nullableLong(s.newest);
        w.nullableLong(s.released);
        w.nullableLong(s.timer);
        w.present(s.twin);
        if (s.twin != null) {
            w.twin(s.twin);
        }
        w.present(s.scoring);
        if (s.scoring != null) {
            w.scoring(s.scoring);
        }
        w.present(s.alerts);
        if (s.alerts != null) {
            w.alerts(s.alerts);
        }
        w.varint(s.pending.size());
        for (Telemetry t : s.pending) {
            w.telemetry(t);
        }
        w.varint(s.pendingDuplicates.size());
        for (Long time : s.pendingDuplicates) {
            out.writeLong(time);
        }
    }

    @Override
    public AssetState deserialize(DataInputView in) throws IOException {
        Reader r = new Reader(in);
        AssetState s = new AssetState();
        s.newest = r.nullableLong();
        s.released = r.nullableLong();
        s.timer = r.nullableLong();
        s.twin = in.readBoolean() ? r.twin() : null;
        s.scoring = in.readBoolean() ? r.scoring() : null;
        s.alerts = in.readBoolean() ? r.alerts() : null;
        int pending = r.varint();
        for (int i = 0; i < pending; i++) {
            s.pending.add(r.telemetry());
        }
        int duplicates = r.varint();
        for (int i = 0; i < duplicates; i++) {
            s.pendingDuplicates.add(in.readLong());
        }
        return s;
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
        return o instanceof AssetStateSerializer;
    }

    @Override
    public int hashCode() {
        return AssetStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<AssetState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Versions the layout; migrates state written by Flink's POJO serializer (the layout before this class). */
    public static final class Snapshot implements TypeSerializerSnapshot<AssetState> {
        public Snapshot() {}

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("unknown asset state layout version " + readVersion);
            }
        }

        @Override
        public TypeSerializer<AssetState> restoreSerializer() {
            return new AssetStateSerializer();
        }

        @Override
        public TypeSerializerSchemaCompatibility<AssetState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<AssetState> old) {
            if (old instanceof Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    // Encoding of the parts. Strings: varint 0 = null, 1 = a new string follows, k >= 2 = the (k-2)th string of this value.

    private static final long ABSENT = Long.MIN_VALUE;

    private static final class Writer {
        final DataOutputSerializer out;
        String[] strings = new String[16];
        int count;

        Writer(DataOutputSerializer out) {
            this.out = out;
        }

        void varint(int v) throws IOException {
            while ((v & ~0x7F) != 0) {
                out.writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.writeByte(v);
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
                out.writeDouble(d);
            }
        }

        <E extends Enum<E>> void enumValue(E e) throws IOException {
            varint(e == null ? 0 : e.ordinal() + 1);
        }

        /** Length + 1 (0 = null), then per 8 entries a bitmap of the non-zero ones and those entries' bits. */
        void doubles(double[] a) throws IOException {
            if (a == null) {
                varint(0);
            } else {
                nonZero(a.length, i -> Double.doubleToRawLongBits(a[i]));
            }
        }

        void longs(long[] a) throws IOException {
            if (a == null) {
                varint(0);
            } else {
                nonZero(a.length, i -> a[i]);
            }
        }

        private void nonZero(int length, IntToLongFunction bitsAt) throws IOException {
            varint(length + 1);
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
            nullableLong(t.lastSeen);
            out.writeBoolean(t.firstSeen != null);
            if (t.firstSeen != null) {
                out.writeLong(t.firstSeen);
            }
            out.writeLong(t.maxSeq);
            out.writeLong(t.maxAppliedSeq);
            longs(t.seenSeqs);
            out.writeLong(t.eventsAccepted);
            out.writeLong(t.duplicatesDropped);
            out.writeLong(t.sequenceResets);
            enumValue(t.status);
            nullableLong(t.lastSnapshotTime);
            out.writeBoolean(t.dirty);
            varint(t.sensors == null ? 0 : t.sensors.size() + 1);
            if (t.sensors != null) {
                for (Map.Entry<String, SensorStats> e : t.sensors.entrySet()) {
                    string(e.getKey());
                    SensorStats s = e.getValue();
                    present(s);
                    if (s != null) {
                        out.writeDouble(s.lastValue);
                        nullableLong(s.lastTimestamp);
                        out.writeLong(s.count);
                        out.writeDouble(s.mean);
                        out.writeDouble(s.m2);
                        out.writeDouble(s.min);
                        out.writeDouble(s.max);
                        out.writeBoolean(s.outOfRange);
                        out.writeLong(s.outOfRangeCount);
                    }
                }
            }
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
            out.writeLong(s.samples);
            nullableLong(s.lastTimestamp);
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
            out.writeLong(s.trendOrigin);
            out.writeDouble(s.trendTimeMean);
            out.writeDouble(s.trendTimeVar);
            doubles(s.trendValueMean);
            doubles(s.trendCov);
            doubles(s.trendValueVar);
            nullableLong(s.newest);
            nullableLong(s.lastFiredWindowEnd);
            varint(s.paneEnd == null ? 0 : s.paneEnd.length + 1);
            if (s.paneEnd != null) {
                for (long end : s.paneEnd) {
                    nullableLong(end);
                }
            }
            doubles(s.paneScore);
            ints(s.paneDetector);
            doubles(s.paneObserved);
            doubles(s.paneExpected);
            ints(s.paneSamples);
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
                        out.writeDouble(s.score());
                        enumValue(s.detector());
                        out.writeDouble(s.observed());
                        out.writeDouble(s.expected());
                        out.writeInt(s.samples());
                        out.writeDouble(s.trendPerHour());
                        boxedDouble(s.rulSeconds());
                    }
                }
            }
            out.writeInt(a.highStreak);
            out.writeInt(a.lowStreak);
            out.writeLong(a.firstHighWindowStart);
            string(a.anomalyId);
            out.writeLong(a.anomalyStart);
            enumValue(a.anomalySeverity);
            string(a.offlineId);
            out.writeLong(a.offlineStart);
        }

        void telemetry(Telemetry t) throws IOException {
            out.writeInt(t.schemaVersion());
            string(t.eventId());
            string(t.assetId());
            string(t.assetType());
            string(t.siteId());
            out.writeLong(t.timestamp());
            out.writeLong(t.seq());
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
        final List<String> strings = new ArrayList<>();

        Reader(DataInputView in) {
            this.in = in;
        }

        int varint() throws IOException {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
                if (shift > 28) {
                    throw new IOException("malformed varint in asset state");
                }
            }
        }

        long nullableLong() throws IOException {
            return in.readBoolean() ? in.readLong() : ABSENT;
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
            return in.readBoolean() ? in.readDouble() : null;
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
            nonZero(n, (i, bits) -> a[i] = Double.longBitsToDouble(bits));
            return a;
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
            t.lastSeen = nullableLong();
            t.firstSeen = in.readBoolean() ? in.readLong() : null;
            t.maxSeq = in.readLong();
            t.maxAppliedSeq = in.readLong();
            t.seenSeqs = longs();
            t.eventsAccepted = in.readLong();
            t.duplicatesDropped = in.readLong();
            t.sequenceResets = in.readLong();
            t.status = enumValue(AssetStatus.values());
            t.lastSnapshotTime = nullableLong();
            t.dirty = in.readBoolean();
            int sensors = size();
            t.sensors = sensors < 0 ? null : new LinkedHashMap<>(Math.max(4, sensors * 2));
            for (int i = 0; i < sensors; i++) {
                String name = string();
                SensorStats s = null;
                if (in.readBoolean()) {
                    s = new SensorStats();
                    s.lastValue = in.readDouble();
                    s.lastTimestamp = nullableLong();
                    s.count = in.readLong();
                    s.mean = in.readDouble();
                    s.m2 = in.readDouble();
                    s.min = in.readDouble();
                    s.max = in.readDouble();
                    s.outOfRange = in.readBoolean();
                    s.outOfRangeCount = in.readLong();
                }
                t.sensors.put(name, s);
            }
            return t;
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
            s.samples = in.readLong();
            s.lastTimestamp = nullableLong();
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
            s.trendOrigin = in.readLong();
            s.trendTimeMean = in.readDouble();
            s.trendTimeVar = in.readDouble();
            s.trendValueMean = doubles();
            s.trendCov = doubles();
            s.trendValueVar = doubles();
            s.newest = nullableLong();
            s.lastFiredWindowEnd = nullableLong();
            int panes = size();
            if (panes >= 0) {
                s.paneEnd = new long[panes];
                for (int p = 0; p < panes; p++) {
                    s.paneEnd[p] = nullableLong();
                }
            }
            s.paneScore = doubles();
            s.paneDetector = ints();
            s.paneObserved = doubles();
            s.paneExpected = doubles();
            s.paneSamples = ints();
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
                    s = new SensorScore(in.readDouble(), enumValue(Detector.values()), in.readDouble(), in.readDouble(),
                            in.readInt(), in.readDouble(), boxedDouble());
                }
                a.maintenance.put(name, s);
            }
            a.highStreak = in.readInt();
            a.lowStreak = in.readInt();
            a.firstHighWindowStart = in.readLong();
            a.anomalyId = string();
            a.anomalyStart = in.readLong();
            a.anomalySeverity = enumValue(Alert.Severity.values());
            a.offlineId = string();
            a.offlineStart = in.readLong();
            return a;
        }

        Telemetry telemetry() throws IOException {
            int version = in.readInt();
            String eventId = string();
            String assetId = string();
            String assetType = string();
            String siteId = string();
            long timestamp = in.readLong();
            long seq = in.readLong();
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
