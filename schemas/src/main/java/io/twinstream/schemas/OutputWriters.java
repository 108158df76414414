package io.twinstream.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Streaming JSON writers for the two records the pipeline writes per reading, {@link TwinSnapshot} and
 * {@link AnomalyScore} (with their {@link SensorState} and {@link SensorScore} maps). They write exactly what the
 * record annotations make Jackson's reflective bean writer produce (same fields, order, nulls, 6-digit derived numbers,
 * map keys sorted); {@code OutputWritersTest} checks that byte for byte against the reflective writer on the
 * example records and on random ones. They exist because the reflective writer reads each field through a reflective accessor call and boxes every
 * number: in the profile of the twin operator, writing these records was 31% of its thread (docs/performance-journal.md).
 */
public final class OutputWriters {
    private OutputWriters() {}

    /** The writers as a Jackson module; {@link Json#MAPPER} has it. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("twinstream-output-writers");
        m.addSerializer(TwinSnapshot.class, new SnapshotWriter());
        m.addSerializer(AnomalyScore.class, new ScoreWriter());
        return m;
    }

    private static SerializedString name(String s) {
        return new SerializedString(s);
    }

    // field names, encoded once
    private static final SerializedString SCHEMA_VERSION = name("schemaVersion");
    private static final SerializedString ASSET_ID = name("assetId");
    private static final SerializedString ASSET_TYPE = name("assetType");
    private static final SerializedString SITE_ID = name("siteId");
    private static final SerializedString STATUS = name("status");
    private static final SerializedString FIRST_SEEN = name("firstSeen");
    private static final SerializedString LAST_SEEN = name("lastSeen");
    private static final SerializedString LAST_SEQ = name("lastSeq");
    private static final SerializedString EVENTS_ACCEPTED = name("eventsAccepted");
    private static final SerializedString DUPLICATES_DROPPED = name("duplicatesDropped");
    private static final SerializedString OUT_OF_RANGE_SENSORS = name("outOfRangeSensors");
    private static final SerializedString SENSORS = name("sensors");
    private static final SerializedString SNAPSHOT_TIME = name("snapshotTime");
    private static final SerializedString REASON = name("reason");
    private static final SerializedString HEALTH = name("health");
    private static final SerializedString OPEN_ALERTS = name("openAlerts");
    private static final SerializedString MODEL_VERSION = name("modelVersion");
    private static final SerializedString MODEL_INFERRED = name("modelInferred");
    private static final SerializedString MAINTENANCE = name("maintenance");
    private static final SerializedString LAST_VALUE = name("lastValue");
    private static final SerializedString LAST_TIMESTAMP = name("lastTimestamp");
    private static final SerializedString COUNT = name("count");
    private static final SerializedString MEAN = name("mean");
    private static final SerializedString STDDEV = name("stddev");
    private static final SerializedString MIN = name("min");
    private static final SerializedString MAX = name("max");
    private static final SerializedString OUT_OF_RANGE = name("outOfRange");
    private static final SerializedString OUT_OF_RANGE_COUNT = name("outOfRangeCount");
    private static final SerializedString WINDOW_START = name("windowStart");
    private static final SerializedString WINDOW_END = name("windowEnd");
    private static final SerializedString SCORE = name("score");
    private static final SerializedString SENSOR = name("sensor");
    private static final SerializedString DETECTOR = name("detector");
    private static final SerializedString OBSERVED = name("observed");
    private static final SerializedString EXPECTED = name("expected");
    private static final SerializedString SAMPLES = name("samples");
    private static final SerializedString TREND_PER_HOUR = name("trendPerHour");
    private static final SerializedString RUL_SECONDS = name("rulSeconds");

    /** Writes {@link TwinSnapshot}. */
    static final class SnapshotWriter extends StdSerializer<TwinSnapshot> {
        private static final long serialVersionUID = 1L;

        SnapshotWriter() {
            super(TwinSnapshot.class);
        }

        @Override
        public void serialize(TwinSnapshot s, JsonGenerator g, SerializerProvider provider) throws IOException {
            char[] buf = new char[DerivedNumber.BUFFER];
            start(g, s.schemaVersion(), s.assetId(), s.assetType(), s.siteId());
            string(g, STATUS, s.status() == null ? null : s.status().name());
            g.writeFieldName(FIRST_SEEN);
            if (s.firstSeen() == null) {
                g.writeNull();
            } else {
                g.writeNumber(s.firstSeen().longValue());
            }
            g.writeFieldName(LAST_SEEN);
            g.writeNumber(s.lastSeen());
            g.writeFieldName(LAST_SEQ);
            g.writeNumber(s.lastSeq());
            g.writeFieldName(EVENTS_ACCEPTED);
            g.writeNumber(s.eventsAccepted());
            g.writeFieldName(DUPLICATES_DROPPED);
            g.writeNumber(s.duplicatesDropped());
            g.writeFieldName(OUT_OF_RANGE_SENSORS);
            g.writeNumber(s.outOfRangeSensors());
            g.writeFieldName(SENSORS);
            if (s.sensors() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                for (Map.Entry<String, SensorState> e : sorted(s.sensors()).entrySet()) {
                    g.writeFieldName(e.getKey());
                    sensorState(g, e.getValue(), buf);
                }
                g.writeEndObject();
            }
            g.writeFieldName(SNAPSHOT_TIME);
            g.writeNumber(s.snapshotTime());
            string(g, REASON, s.reason() == null ? null : s.reason().name());
            g.writeFieldName(HEALTH);
            derived(g, s.health(), buf);
            g.writeFieldName(OPEN_ALERTS);
            if (s.openAlerts() == null) {
                g.writeNull();
            } else {
                g.writeNumber(s.openAlerts().intValue());
            }
            g.writeFieldName(MAINTENANCE);
            sensorScores(g, s.maintenance(), buf);
            g.writeFieldName(MODEL_VERSION);
            if (s.modelVersion() == null) {
                g.writeNull();
            } else {
                g.writeNumber(s.modelVersion().intValue());
            }
            g.writeFieldName(MODEL_INFERRED);
            if (s.modelInferred() == null) {
                g.writeNull();
            } else {
                g.writeBoolean(s.modelInferred());
            }
            provider.defaultSerializeField("registry", s.registry(), g);
            if (s.properties() != null) {
                provider.defaultSerializeField("properties", s.properties(), g);
            }
            if (s.commands() != null) {
                provider.defaultSerializeField("commands", s.commands(), g);
            }
            if (s.silence() != null) {
                provider.defaultSerializeField("silence", s.silence(), g);
            }
            if (s.energy() != null) {
                provider.defaultSerializeField("energy", s.energy(), g);
            }
            g.writeEndObject();
        }

        private static void sensorState(JsonGenerator g, SensorState s, char[] buf) throws IOException {
            if (s == null) {
                g.writeNull();
                return;
            }
            g.writeStartObject();
            g.writeFieldName(LAST_VALUE);
            String last = readingText(g, s.lastValue());
            reading(g, s.lastValue(), s.lastValue(), last);
            g.writeFieldName(LAST_TIMESTAMP);
            g.writeNumber(s.lastTimestamp());
            g.writeFieldName(COUNT);
            g.writeNumber(s.count());
            g.writeFieldName(MEAN);
            DerivedNumber.write(g, s.mean(), buf);
            g.writeFieldName(STDDEV);
            DerivedNumber.write(g, s.stddev(), buf);
            g.writeFieldName(MIN);
            reading(g, s.min(), s.lastValue(), last);
            g.writeFieldName(MAX);
            reading(g, s.max(), s.lastValue(), last);
            g.writeFieldName(OUT_OF_RANGE);
            g.writeBoolean(s.outOfRange());
            g.writeFieldName(OUT_OF_RANGE_COUNT);
            g.writeNumber(s.outOfRangeCount());
            g.writeEndObject();
        }
    }

    /**
     * A reading's text as {@code writeNumber(double)} writes it, or null for the non-finite, which Jackson writes its
     * own way. Converting a reading to its shortest exact text is most of what a sensor's state costs to write, and a
     * sensor with one reading has that reading as its last value, minimum and maximum: at a million assets, where most
     * snapshots are an asset's first, this converts it once instead of three times (docs/performance-journal.md).
     */
    private static String readingText(JsonGenerator g, double v) {
        return Double.isFinite(v) ? NumberOutput.toString(v, g.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)) : null;
    }

    /** Writes reading {@code v}, reusing the text of {@code known} when it is the same double. */
    private static void reading(JsonGenerator g, double v, double known, String knownText) throws IOException {
        if (knownText != null && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(known)) {
            g.writeNumber(knownText);
        } else {
            g.writeNumber(v);
        }
    }

    /** Writes {@link AnomalyScore}. */
    static final class ScoreWriter extends StdSerializer<AnomalyScore> {
        private static final long serialVersionUID = 1L;

        ScoreWriter() {
            super(AnomalyScore.class);
        }

        @Override
        public void serialize(AnomalyScore s, JsonGenerator g, SerializerProvider provider) throws IOException {
            char[] buf = new char[DerivedNumber.BUFFER];
            start(g, s.schemaVersion(), s.assetId(), s.assetType(), s.siteId());
            g.writeFieldName(WINDOW_START);
            g.writeNumber(s.windowStart());
            g.writeFieldName(WINDOW_END);
            g.writeNumber(s.windowEnd());
            g.writeFieldName(SCORE);
            DerivedNumber.write(g, s.score(), buf);
            string(g, SENSOR, s.sensor());
            string(g, DETECTOR, s.detector() == null ? null : s.detector().name());
            g.writeFieldName(OBSERVED);
            DerivedNumber.write(g, s.observed(), buf);
            g.writeFieldName(EXPECTED);
            DerivedNumber.write(g, s.expected(), buf);
            g.writeFieldName(SENSORS);
            sensorScores(g, s.sensors(), buf);
            g.writeEndObject();
        }
    }

    private static void sensorScores(JsonGenerator g, Map<String, SensorScore> scores, char[] buf) throws IOException {
        if (scores == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (Map.Entry<String, SensorScore> e : sorted(scores).entrySet()) {
            g.writeFieldName(e.getKey());
            SensorScore s = e.getValue();
            if (s == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            g.writeFieldName(SCORE);
            DerivedNumber.write(g, s.score(), buf);
            string(g, DETECTOR, s.detector() == null ? null : s.detector().name());
            g.writeFieldName(OBSERVED);
            DerivedNumber.write(g, s.observed(), buf);
            g.writeFieldName(EXPECTED);
            DerivedNumber.write(g, s.expected(), buf);
            g.writeFieldName(SAMPLES);
            g.writeNumber(s.samples());
            g.writeFieldName(TREND_PER_HOUR);
            DerivedNumber.write(g, s.trendPerHour(), buf);
            g.writeFieldName(RUL_SECONDS);
            derived(g, s.rulSeconds(), buf);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Opens a record with the fields both records begin with. */
    private static void start(JsonGenerator g, int schemaVersion, String assetId, String assetType, String siteId)
            throws IOException {
        g.writeStartObject();
        g.writeFieldName(SCHEMA_VERSION);
        g.writeNumber(schemaVersion);
        string(g, ASSET_ID, assetId);
        string(g, ASSET_TYPE, assetType);
        string(g, SITE_ID, siteId);
    }

    private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    private static void derived(JsonGenerator g, Double value, char[] buf) throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            DerivedNumber.write(g, value, buf);
        }
    }

    /** Map entries by key, as {@code ORDER_MAP_ENTRIES_BY_KEYS} has the reflective writer do; the pipeline's maps are sorted already. */
    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map instanceof SortedMap<String, V> m && m.comparator() == null ? map : new TreeMap<>(map);
    }
}
