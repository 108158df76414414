package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON Schemas are the contract: examples, and what the Java records write, must satisfy them. */
class JsonSchemaContractTest {

    static JsonSchema schema(String file) throws IOException {
        try (InputStream in = JsonSchemaContractTest.class.getResourceAsStream("/twinstream/schemas/" + file)) {
            assertThat(in).as(file).isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static JsonNode example(String file) throws IOException {
        try (InputStream in = JsonSchemaContractTest.class.getResourceAsStream("/examples/" + file)) {
            return Json.MAPPER.readTree(in);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "telemetry.v1.schema.json, telemetry.json",
        "twin-snapshot.v1.schema.json, twin-snapshot.json",
        "dead-letter.v1.schema.json, dead-letter.json",
        "anomaly-score.v1.schema.json, anomaly-score.json",
        "alert.v1.schema.json, alert.json"
    })
    void examplesValidate(String schemaFile, String exampleFile) throws IOException {
        Set<ValidationMessage> errors = schema(schemaFile).validate(example(exampleFile));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "telemetry.v1.schema.json, telemetry.json, Telemetry",
        "twin-snapshot.v1.schema.json, twin-snapshot.json, TwinSnapshot",
        "dead-letter.v1.schema.json, dead-letter.json, DeadLetter",
        "anomaly-score.v1.schema.json, anomaly-score.json, AnomalyScore",
        "alert.v1.schema.json, alert.json, Alert"
    })
    void javaRecordsRoundTripAndWriteValidJson(String schemaFile, String exampleFile, String recordType)
            throws Exception {
        Class<?> type = Class.forName("io.twinstream.schemas." + recordType);
        JsonNode original = example(exampleFile);
        Object record = Json.MAPPER.treeToValue(original, type);
        JsonNode written = Json.MAPPER.valueToTree(record);

        assertThat(schema(schemaFile).validate(written)).isEmpty();
        assertThat(Json.MAPPER.treeToValue(written, type)).isEqualTo(record);
        assertThat(written.equals(JsonSchemaContractTest::compareNumbersByValue, original))
                .as("%s written back equals the example%n%s%n%s", recordType, written, original)
                .isTrue();
    }

    /** Jackson reads 42 as an int node and writes a long field as a long node; the JSON is the same. */
    static int compareNumbersByValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    @ParameterizedTest
    @CsvSource({
        // a required field missing
        "telemetry.v1.schema.json, '{\"schemaVersion\":1,\"eventId\":\"e\",\"assetId\":\"a\",\"assetType\":\"PUMP\",\"siteId\":\"s\",\"seq\":1,\"readings\":{\"x\":1}}'",
        // a reading that is not a number
        "telemetry.v1.schema.json, '{\"schemaVersion\":1,\"eventId\":\"e\",\"assetId\":\"a\",\"assetType\":\"PUMP\",\"siteId\":\"s\",\"timestamp\":1,\"seq\":1,\"readings\":{\"x\":\"hot\"}}'",
        // an unknown reason code
        "dead-letter.v1.schema.json, '{\"schemaVersion\":1,\"reasonCode\":\"BAD\",\"reason\":\"r\",\"sourceTopic\":\"t\",\"sourcePartition\":0,\"sourceOffset\":0,\"payload\":\"\",\"payloadEncoding\":\"utf8\",\"rejectedAt\":0}'"
    })
    void schemasRejectViolations(String schemaFile, String json) throws IOException {
        assertThat(schema(schemaFile).validate(Json.MAPPER.readTree(json))).isNotEmpty();
    }
}
