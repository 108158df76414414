package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.Telemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The wire form of {@link Ingested} across the pipeline's one keyBy: every reading crosses it once, and the twin
 * operator's thread reads it back. Flink's POJO serializer did that with a map serializer and a string serializer per
 * field; in a profile of the benchmark's pipeline that was 8.6% of the twin operator's thread, most of it making new
 * strings for the same few sensor names, asset types, sites and asset ids, hashing each anew for the readings map and
 * the state table, and a thread-local lookup per string (docs/performance-journal.md).
 *
 * <p>Here strings are length-prefixed UTF-8, and on reading, short ones that recur (names, types, sites, asset ids,
 * topics) come from a small direct-mapped cache of the strings read before, with their hashes already computed. An
 * event id or a registry entry's JSON, new each time, bypasses the cache. Only the network uses this serializer:
 * readings kept in state go through {@code AssetStateSerializer}, so nothing of this form is in a savepoint.
 */
public final class IngestedSerializer extends TypeSerializer<Ingested> {
    private static final long serialVersionUID = 1L;

    private static final int TELEMETRY = 1;
    private static final int REJECTED = 2;
    private static final int REGISTRATION = 4;
    private static final int DESIRED = 8;
    private static final int ACK = 16;
    private static final int ACTION = 32;
    private static final int REQUEST = 64;

    /** Strings longer than this (in UTF-8 bytes) are not cached: ids and names are shorter. */
    static final int CACHED_MAX_BYTES = 64;
    /** Slots of the cache; a power of two. A fleet larger than this still works, with more misses. */
    static final int CACHE_SLOTS = 8192;

    private transient byte[][] cachedBytes;
    private transient String[] cachedStrings;
    private transient byte[] scratch;

    @Override
    public boolean isImmutableType() {
        return true; // records; the pipeline never changes one after emitting it
    }

    @Override
    public TypeSerializer<Ingested> duplicate() {
        return new IngestedSerializer(); // the cache and scratch buffer belong to one thread
    }

    @Override
    public Ingested createInstance() {
        return null;
    }

    @Override
    public Ingested copy(Ingested from) {
        return from;
    }

    @Override
    public Ingested copy(Ingested from, Ingested reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Ingested in, DataOutputView out) throws IOException {
        int flags = (in.telemetry() != null ? TELEMETRY : 0) | (in.rejected() != null ? REJECTED : 0)
                | (in.control() == null ? 0 : switch (in.control()) {
                    case REGISTRY -> REGISTRATION;
                    case DESIRED -> DESIRED;
                    case ACK -> ACK;
                    case ACTION -> ACTION;
                    case REQUEST -> REQUEST;
                });
        out.writeByte(flags);
        writeString(in.topic(), out);
        out.writeInt(in.partition());
        out.writeLong(in.offset());
        if (in.telemetry() != null) {
            writeTelemetry(in.telemetry(), out);
        }
        if (in.rejected() != null) {
            writeDeadLetter(in.rejected(), out);
        }
        if (in.registeredAsset() != null) {
            writeString(in.registeredAsset(), out);
            writeString(in.registration(), out);
        }
    }

    private static void writeTelemetry(Telemetry t, DataOutputView out) throws IOException {
        out.writeInt(t.schemaVersion());
        writeString(t.eventId(), out);
        writeString(t.assetId(), out);
        writeString(t.assetType(), out);
        writeString(t.siteId(), out);
        out.writeLong(t.timestamp());
        out.writeLong(t.seq());
        Map<String, Double> readings = t.readings();
        out.writeInt(readings == null ? -1 : readings.size());
        if (readings != null) {
            for (Map.Entry<String, Double> e : readings.entrySet()) {
                writeString(e.getKey(), out);
                Double v = e.getValue();
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeDouble(v);
                }
            }
        }
    }

    private static void writeDeadLetter(DeadLetter d, DataOutputView out) throws IOException {
        out.writeInt(d.schemaVersion());
        writeString(d.reasonCode() == null ? null : d.reasonCode().name(), out);
        writeString(d.reason(), out);
        writeString(d.sourceTopic(), out);
        out.writeInt(d.sourcePartition());
        out.writeLong(d.sourceOffset());
        writeString(d.key(), out);
        writeString(d.payload(), out);
        writeString(d.payloadEncoding(), out);
        out.writeLong(d.rejectedAt());
    }

    private static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public Ingested deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        String topic = cachedString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        Telemetry telemetry = (flags & TELEMETRY) != 0 ? readTelemetry(in) : null;
        DeadLetter rejected = (flags & REJECTED) != 0 ? readDeadLetter(in) : null;
        String registeredAsset = null;
        String registration = null;
        Ingested.Control control = (flags & REGISTRATION) != 0 ? Ingested.Control.REGISTRY
                : (flags & DESIRED) != 0 ? Ingested.Control.DESIRED
                : (flags & ACK) != 0 ? Ingested.Control.ACK
                : (flags & ACTION) != 0 ? Ingested.Control.ACTION
                : (flags & REQUEST) != 0 ? Ingested.Control.REQUEST : null;
        if (control != null) {
            registeredAsset = cachedString(in);
            registration = newString(in);
        }
        return new Ingested(telemetry, rejected, topic, partition, offset, registeredAsset, registration, control);
    }

    private Telemetry readTelemetry(DataInputView in) throws IOException {
        int version = in.readInt();
        String eventId = newString(in);
        String assetId = cachedString(in);
        String assetType = cachedString(in);
        String siteId = cachedString(in);
        long timestamp = in.readLong();
        long seq = in.readLong();
        int n = in.readInt();
        Map<String, Double> readings = null;
        if (n >= 0) {
            readings = new HashMap<>(n * 4 / 3 + 1);
            for (int i = 0; i < n; i++) {
                String name = cachedString(in);
                readings.put(name, in.readBoolean() ? in.readDouble() : null);
            }
        }
        return new Telemetry(version, eventId, assetId, assetType, siteId, timestamp, seq, readings);
    }

    private DeadLetter readDeadLetter(DataInputView in) throws IOException {
        int version = in.readInt();
        String code = newString(in);
        return new DeadLetter(version, code == null ? null : RejectReason.valueOf(code), newString(in), newString(in),
                in.readInt(), in.readLong(), newString(in), newString(in), newString(in), in.readLong());
    }

    /** A string read without the cache. */
    private String newString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = scratch(n);
        in.readFully(b, 0, n);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** A string read through the cache: the instance read last time in its slot if the bytes are the same. */
    private String cachedString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = scratch(n);
        in.readFully(b, 0, n);
        if (n > CACHED_MAX_BYTES) {
            return new String(b, 0, n, StandardCharsets.UTF_8);
        }
        if (cachedBytes == null) {
            cachedBytes = new byte[CACHE_SLOTS][];
            cachedStrings = new String[CACHE_SLOTS];
        }
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(CACHE_SLOTS));
        byte[] known = cachedBytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, b, 0, n)) {
            return cachedStrings[slot];
        }
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        s.hashCode(); // computed once here, kept in the instance for every map and state lookup that follows
        cachedBytes[slot] = Arrays.copyOf(b, n);
        cachedStrings[slot] = s;
        return s;
    }

    private byte[] scratch(int n) {
        if (scratch == null || scratch.length < n) {
            scratch = new byte[Math.max(n, 256)];
        }
        return scratch;
    }

    @Override
    public Ingested deserialize(Ingested reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IngestedSerializer;
    }

    @Override
    public int hashCode() {
        return IngestedSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Ingested> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Ingested> {
        public Snapshot() {
            super(IngestedSerializer::new);
        }
    }
}
