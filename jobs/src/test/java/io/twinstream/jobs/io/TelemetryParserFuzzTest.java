package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property-based, with a seeded generator: records that are valid JSON and close to valid telemetry, one field pushed
 * to an extreme. Every one is either a dead letter with a reason, or a reading that is sane in every field the
 * pipeline relies on: a plausible time, identifiers that can be keys, finite values of sensors the model declares.
 */
public class TelemetryParserFuzzTest {
    static final long NOW = 1_763_884_800_000L;
    static final InputLimits LIMITS = InputLimits.defaults().withClock(() -> NOW);
    static final TelemetryParser PARSER = new TelemetryParser(LIMITS);

    static final String[] FIELDS = {"schemaVersion", "eventId", "assetId", "assetType", "siteId", "timestamp", "seq"};
    static final String[] EXTREMES = {"0", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
        "1e400", "-1e400", "1e-400", "0.5", "NaN", "null", "true", "\"\"", "\" \"", "\"x\"", "[]", "{}", "\"\\u0000\"",
        "\"a b\"", "\"é\"", "\"" + "a".repeat(129) + "\"", "\"" + "a".repeat(128) + "\"", "\"1970-01-01\"",
        String.valueOf(NOW + 10L * 365 * 86_400_000), String.valueOf(NOW + 301_000), String.valueOf(NOW + 299_000),
        "946684799999", "946684800000", "1", String.valueOf(NOW)};

    /**
     * {@code n} near-valid records for pumps {@code pump-0} to {@code pump-99} around processing time {@code now}: a
     * fifth exactly valid, the rest with one field (or the reading) pushed to an extreme.
     */
    public static List<String> nearValidRecords(int n, long seed, long now) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> sensors = AssetModels.builtIn().get("INDUSTRIAL_PUMP").sensors().stream().map(x -> x.name()).toList();
        List<String> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String sensor = sensors.get(r.nextInt(sensors.size()));
            String readings = "{\"" + sensor + "\":" + (r.nextInt(4) == 0 ? EXTREMES[r.nextInt(EXTREMES.length)]
                    : String.valueOf(r.nextDouble() * 100)) + "}";
            out.add(r.nextInt(5) == 0 ? record(r, "none", "", readings, now)
                    : record(r, FIELDS[r.nextInt(FIELDS.length)], EXTREMES[r.nextInt(EXTREMES.length)], readings, now));
        }
        return out;
    }

    static String record(SplittableRandom r, String field, String value, String readings) {
        return record(r, field, value, readings, NOW);
    }

    static String record(SplittableRandom r, String field, String value, String readings, long now) {
        StringBuilder b = new StringBuilder("{");
        String[][] base = {{"schemaVersion", "1"}, {"eventId", "\"p-1:" + r.nextInt(1000) + "\""},
            {"assetId", "\"pump-" + r.nextInt(100) + "\""}, {"assetType", "\"INDUSTRIAL_PUMP\""}, {"siteId", "\"site-1\""},
            {"timestamp", String.valueOf(now - r.nextInt(3_600_000))}, {"seq", String.valueOf(r.nextInt(1_000_000))}};
        for (String[] kv : base) {
            b.append('"').append(kv[0]).append("\":").append(kv[0].equals(field) ? value : kv[1]).append(',');
        }
        return b.append("\"readings\":").append(readings).append('}').toString();
    }

    @Test
    void everyNearValidRecordIsADeadLetterWithAReasonOrASaneReading() {
        AssetModel pump = AssetModels.builtIn().get("INDUSTRIAL_PUMP");
        int accepted = 0;
        int rejected = 0;
        for (String json : nearValidRecords(20_000, 29, NOW)) {
            TelemetryParser.Result result = PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
            if (result.telemetry() == null) {
                assertThat(result.reason()).as(json).isNotNull();
                assertThat(result.detail()).as(json).isNotBlank();
                rejected++;
                continue;
            }
            accepted++;
            Telemetry t = result.telemetry();
            assertThat(t.timestamp()).as(json).isBetween(LIMITS.minTimestampMs(), NOW + LIMITS.maxFutureSkewMs());
            assertThat(t.seq()).as(json).isNotNegative();
            for (String id : new String[] {t.assetId(), t.eventId()}) {
                assertThat(LIMITS.validIdentifier(id)).as(json).isTrue();
            }
            // type and site may be left out (a registered asset's come from the registry); if given, they are valid
            assertThat(t.siteId() == null || LIMITS.validIdentifier(t.siteId())).as(json).isTrue();
            assertThat(t.assetType() == null || !t.assetType().isBlank()).as(json).isTrue();
            assertThat(t.readings()).as(json).isNotEmpty().allSatisfy((name, v) -> {
                assertThat(pump.sensor(name)).isNotNull();
                assertThat(Double.isFinite(v)).isTrue();
            });
        }
        assertThat(accepted).as("accepted").isGreaterThan(1_000);
        assertThat(rejected).as("rejected").isGreaterThan(1_000);
        System.out.printf("fuzz: %d accepted, %d rejected%n", accepted, rejected);
    }
}
