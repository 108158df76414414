package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The streaming writers write exactly what Jackson's reflective bean writers write for the annotated records. */
class OutputWritersTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper REFLECTIVE = Json.configured().build();
    private final Random random = new Random(7);

    @Test
    void examplesWriteTheSameBytesAsTheReflectiveWriter() throws Exception {
        for (Class<?> type : new Class<?>[] {TwinSnapshot.class, AnomalyScore.class}) {
            String file = type == TwinSnapshot.class ? "twin-snapshot.json" : "anomaly-score.json";
            try (InputStream in = getClass().getResourceAsStream("/examples/" + file)) {
                Object record = Json.MAPPER.readValue(in, type);
                assertThat(new String(Json.MAPPER.writeValueAsBytes(record)))
                        .isEqualTo(new String(REFLECTIVE.writeValueAsBytes(record)))
                        .contains("\"schemaVersion\":1");
            }
        }
    }

    @Test
    void randomSnapshotsAndScoresWriteTheSameBytesAsTheReflectiveWriter() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            for (Object record : new Object[] {snapshot(), score()}) {
                assertThat(new String(Json.MAPPER.writeValueAsBytes(record)))
                        .isEqualTo(new String(REFLECTIVE.writeValueAsBytes(record)));
            }
        }
    }

    /** The sinks' schema reuses one generator and buffer; record after record it must write what the mapper writes. */
    @Test
    void oneSerializationSchemaWritesEveryRecordAsTheMapperDoes() throws Exception {
        var snapshots = new io.twinstream.schemas.flink.JsonSerialization<>(TwinSnapshot.class);
        var scores = new io.twinstream.schemas.flink.JsonSerialization<>(AnomalyScore.class);
        for (int i = 0; i < 2_000; i++) {
            TwinSnapshot s = i % 500 == 7 ? huge() : snapshot();
            assertThat(new String(snapshots.serialize(s))).isEqualTo(new String(Json.MAPPER.writeValueAsBytes(s)));
            AnomalyScore a = score();
            assertThat(new String(scores.serialize(a))).isEqualTo(new String(Json.MAPPER.writeValueAsBytes(a)));
        }
    }

    /** A snapshot larger than the schema's buffer block. */
    private TwinSnapshot huge() {
        Map<String, SensorState> sensors = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            sensors.put("sensor_" + i, new SensorState(number(), random.nextLong(), random.nextLong(), number(), number(),
                    number(), number(), random.nextBoolean(), random.nextLong()));
        }
        return new TwinSnapshot(1, text(), text(), text(), AssetStatus.ONLINE, random.nextLong(), random.nextLong(),
                random.nextLong(), random.nextLong(), random.nextLong(), random.nextInt(), sensors, random.nextLong(),
                SnapshotReason.CHANGE, number(), 0, sensorScores(), 3, null, registry());
    }

    @Test
    void theStreamingWritersAreTheOnesInUse() throws Exception {
        // a snapshot inside a list goes through the module's writer too, not only a top-level one
        var writer = Json.MAPPER.getSerializerProviderInstance().findValueSerializer(TwinSnapshot.class);
        assertThat(writer).isInstanceOf(OutputWriters.SnapshotWriter.class);
        assertThat(Json.MAPPER.getSerializerProviderInstance().findValueSerializer(AnomalyScore.class))
                .isInstanceOf(OutputWriters.ScoreWriter.class);
    }

    private TwinSnapshot snapshot() {
        return new TwinSnapshot(1, text(), maybe(text()), maybe(text()), maybe(pick(AssetStatus.values())),
                maybe(random.nextLong()), random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong(),
                random.nextInt(), sensorStates(), random.nextLong(), maybe(pick(SnapshotReason.values())),
                maybe(number()), maybe(random.nextInt(3)), sensorScores(), maybe(random.nextInt(5)),
                maybe(random.nextBoolean()), maybe(registry()), maybe(properties()), maybe(commands()),
                maybe(new TwinSnapshot.Silence(random.nextLong(), maybe(text()), maybe(text()))), maybe(energy()));
    }

    private EnergyView energy() {
        return new EnergyView(maybe(number()), maybe(period()), maybe(period()), maybe(period()), maybe(period()), number(),
                number());
    }

    private EnergyView.Period period() {
        return new EnergyView.Period(random.nextLong(), number(), number(), maybe(number()), maybe(number()),
                maybe(number()), maybe(number()));
    }

    private Map<String, PropertyState> properties() {
        Map<String, PropertyState> m = map();
        for (int i = random.nextInt(3); i > 0; i--) {
            m.put(text(), new PropertyState(maybe(number()), maybe(number()), maybe(random.nextLong()),
                    random.nextBoolean(), maybe(random.nextLong())));
        }
        return m;
    }

    private java.util.List<CommandStatus> commands() {
        java.util.List<CommandStatus> l = new java.util.ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            l.add(new CommandStatus(text(), text(), maybe(text()), maybe(number()), pick(CommandStatus.State.values()),
                    random.nextLong(), random.nextLong(), random.nextLong(), maybe(text())));
        }
        return l;
    }

    private AssetInfo registry() {
        return new AssetInfo(maybe(text()), maybe(text()), maybe(number()), maybe(number()),
                random.nextBoolean() ? java.util.List.of() : java.util.List.of(text(), text()), maybe("2024-05-01"));
    }

    private AnomalyScore score() {
        return new AnomalyScore(1, text(), maybe(text()), maybe(text()), random.nextLong(), random.nextLong(), number(),
                maybe(text()), maybe(pick(Detector.values())), number(), number(), sensorScores());
    }

    private Map<String, SensorState> sensorStates() {
        if (random.nextInt(10) == 0) {
            return null;
        }
        Map<String, SensorState> m = map();
        for (int i = random.nextInt(7); i > 0; i--) {
            m.put(text(), random.nextInt(20) == 0 ? null : random.nextInt(3) == 0 ? young() : new SensorState(number(),
                    random.nextLong(), random.nextLong(), number(), number(), number(), number(), random.nextBoolean(),
                    random.nextLong()));
        }
        return m;
    }

    /** A sensor with one reading: its last value is its minimum and its maximum (the writer converts it once). */
    private SensorState young() {
        double v = number();
        double other = random.nextBoolean() ? v : number(); // or a minimum or maximum of its own
        return random.nextBoolean()
                ? new SensorState(v, random.nextLong(), 1, v, 0.0, v, other, random.nextBoolean(), 0)
                : new SensorState(v, random.nextLong(), 1, v, 0.0, other, v, random.nextBoolean(), 0);
    }

    private Map<String, SensorScore> sensorScores() {
        if (random.nextInt(10) == 0) {
            return null;
        }
        Map<String, SensorScore> m = map();
        for (int i = random.nextInt(7); i > 0; i--) {
            m.put(text(), random.nextInt(20) == 0 ? null : new SensorScore(number(), pick(Detector.values()), number(),
                    number(), random.nextInt(), number(), maybe(number())));
        }
        return m;
    }

    /** Sorted, hashed or in insertion order: the pipeline's maps are sorted, a restored or hand-made one need not be. */
    private <V> Map<String, V> map() {
        return switch (random.nextInt(3)) {
            case 0 -> new TreeMap<>();
            case 1 -> new HashMap<>();
            default -> new LinkedHashMap<>();
        };
    }

    /** Readings, derived values, extremes, negative zero and the non-finite. */
    private double number() {
        return switch (random.nextInt(12)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.NaN;
            case 3 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4 -> random.nextInt(1000);
            case 5 -> Double.longBitsToDouble(random.nextLong());
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(24) - 12);
        };
    }

    private String text() {
        String[] parts = {"pump", "flow_m3h", "ü-ñ", "quote\"d", "tab\t", "7", "site-a", "x"};
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(3) + 1; i > 0; i--) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.toString();
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T maybe(T value) {
        return random.nextInt(8) == 0 ? null : value;
    }
}
