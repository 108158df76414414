package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.RejectReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryParserTest {
    /** The processing clock of these tests: 2025-11-23T08:00:00Z. */
    static final long NOW = 1_763_884_800_000L;
    static final TelemetryParser PARSER = new TelemetryParser(InputLimits.defaults().withMaxRecordBytes(4096).withClock(() -> NOW));
    static final String VALID = "{\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\","
            + "\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":200.5,\"vibration_mm_s\":2}}";

    static TelemetryParser.Result parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validReadingParses() {
        TelemetryParser.Result r = parse(VALID);
        assertThat(r.reason()).isNull();
        assertThat(r.telemetry().assetId()).isEqualTo("p");
        assertThat(r.telemetry().readings()).containsEntry("flow_m3h", 200.5).containsEntry("vibration_mm_s", 2.0);
    }

    @Test
    void unknownExtraFieldsAreAccepted() {
        assertThat(parse(VALID.replace("{\"schemaVersion\"", "{\"gateway\":\"gw-1\",\"schemaVersion\"")).telemetry())
                .isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated           | MALFORMED_JSON             | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"asse",
        "not an object       | MALFORMED_JSON             | [1,2,3]",
        "syntax after a type error | MALFORMED_JSON       | {\"schemaVersion\":1,\"readings\":[\"flow_m3h\":1]}",
        "trailing garbage    | MALFORMED_JSON             | {\"schemaVersion\":1} xyz",
        "duplicate key       | DUPLICATE_KEY              | {\"seq\":1,\"seq\":2}",
        "duplicate sensor    | DUPLICATE_KEY              | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1,\"flow_m3h\":900}}",
        "ten years ahead     | FUTURE_TIMESTAMP           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":2079417600000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "six minutes ahead   | FUTURE_TIMESTAMP           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763885160001,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "clock reset to 1970 | TIMESTAMP_TOO_OLD          | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "id with a space     | INVALID_IDENTIFIER         | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p 1\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "site with a quote   | INVALID_IDENTIFIER         | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s'; DROP TABLE twins; --\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "negative seq        | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":-1,\"readings\":{\"flow_m3h\":1}}",
        "timestamp 1e400     | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1e400,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "missing timestamp   | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "string reading      | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":\"1\"}}",
        "huge number         | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1e999}}",
        "seq too big         | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":99999999999999999999999,\"readings\":{\"flow_m3h\":1}}",
        "null asset          | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":null,\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "empty readings      | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{}}",
        "newer version       | UNSUPPORTED_SCHEMA_VERSION | {\"schemaVersion\":7,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "blank type          | SCHEMA_VIOLATION           | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\" \",\"siteId\":\"s\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"flow_m3h\":1}}",
        "bad site id         | INVALID_IDENTIFIER         | {\"schemaVersion\":1,\"eventId\":\"p:1\",\"assetId\":\"p\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"a b\",\"timestamp\":1763884800000,\"seq\":1,\"readings\":{\"crumbs\":1}}"
    })
    void badInputIsRejectedWithItsReason(String name, RejectReason expected, String json) {
        TelemetryParser.Result r = parse(json);
        assertThat(r.telemetry()).isNull();
        assertThat(r.reason()).isEqualTo(expected);
        assertThat(r.detail()).isNotBlank();
    }

    @Test
    void aReadingWithinTheFutureSkewAndAnIdOfTheMaximumLengthAreAccepted() {
        String fourMinutesAhead = VALID.replace("1763884800000", String.valueOf(NOW + 240_000));
        assertThat(parse(fourMinutesAhead).telemetry()).isNotNull();
        String longest = "a".repeat(128);
        assertThat(parse(VALID.replace("\"assetId\":\"p\"", "\"assetId\":\"" + longest + "\"")).telemetry()
                .assetId()).isEqualTo(longest);
        TelemetryParser.Result tooLong = parse(VALID.replace("\"assetId\":\"p\"", "\"assetId\":\"" + "a".repeat(20_000) + "\""));
        assertThat(tooLong.reason()).isEqualTo(RejectReason.OVERSIZED); // 4096 bytes here
        TelemetryParser.Result id129 = parse(VALID.replace("\"assetId\":\"p\"", "\"assetId\":\"" + "a".repeat(129) + "\""));
        assertThat(id129.reason()).isEqualTo(RejectReason.INVALID_IDENTIFIER);
        assertThat(id129.detail()).hasSizeLessThan(200); // the detail does not echo a huge id
        // a historical replay is fine: readings of last year are plausible
        assertThat(parse(VALID.replace("1763884800000", String.valueOf(NOW - 365L * 86_400_000))).telemetry()).isNotNull();
    }

    @Test
    void randomBytesAndOversizedRecordsAreRejectedNotThrown() {
        byte[] garbage = {(byte) 0xFF, 0x00, 0x7B, (byte) 0xC3};
        assertThat(PARSER.parse(garbage).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(PARSER.parse(new byte[0]).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(PARSER.parse(null).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(PARSER.parse(new byte[5000]).reason()).isEqualTo(RejectReason.OVERSIZED);
    }

    @Test
    void deadLetterKeepsBinaryPayloadAsBase64AndTextAsText() {
        byte[] garbage = {(byte) 0xFF, 0x01};
        var binary = DeadLetters.of(RejectReason.MALFORMED_JSON, "x", "t", 1, 2, null, garbage, 3);
        assertThat(binary.payloadEncoding()).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(binary.payload())).isEqualTo(garbage);
        var text = DeadLetters.of(RejectReason.MALFORMED_JSON, "x", "t", 1, 2, "k".getBytes(), "{oops".getBytes(), 3);
        assertThat(text.payloadEncoding()).isEqualTo("utf8");
        assertThat(text.payload()).isEqualTo("{oops");
        assertThat(text.key()).isEqualTo("k");
    }
}
