package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtdlImportTest {

    /** An interface in the shape of Azure Digital Twins' samples (DTDL v3). */
    static final String CHILLER = """
            {
              "@context": "dtmi:dtdl:context;3",
              "@id": "dtmi:com:example:WaterChiller;2",
              "@type": "Interface",
              "displayName": {"en": "Water chiller"},
              "contents": [
                {"@type": ["Telemetry", "Temperature"], "name": "supplyTemp", "schema": "double",
                 "unit": "degreeCelsius", "description": "chilled water supply"},
                {"@type": ["Telemetry", "Power"], "name": "power", "schema": "double", "unit": "kilowatt"},
                {"@type": "Telemetry", "name": "runHours", "schema": "long"},
                {"@type": "Telemetry", "name": "mode", "schema": "string"},
                {"@type": "Property", "name": "setpoint", "schema": "double", "writable": true},
                {"@type": "Command", "name": "restart"},
                {"@type": "Relationship", "name": "feeds"}
              ]
            }""";

    @Test
    void numericTelemetryBecomesSensorsAndTheRestIsListedAsDropped(@TempDir Path dir) throws Exception {
        DtdlImport.Result r = DtdlImport.convert(Json.MAPPER.readTree(CHILLER), 10_000);
        assertThat(r.type()).isEqualTo("WATER_CHILLER");
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.dropped()).containsExactly(
                "Telemetry 'mode' of string (only numbers are sensors)",
                "Property 'setpoint' (twinstream models hold telemetry only)",
                "Command 'restart' (twinstream models hold telemetry only)",
                "Relationship 'feeds' (twinstream models hold telemetry only)");
        assertThat(r.toComplete()).contains("supplyTemp: valid range (min, max) - DTDL has none",
                "runHours: no unit in DTDL (written as \"1\")");

        // the YAML is a model file once the ranges are filled in; as imported it is refused, naming what to fix
        Path file = Files.writeString(dir.resolve("chiller.yaml"), r.yaml());
        assertThatThrownBy(() -> ModelDefinitions.read(file))
                .hasMessage(file + ": model 'WATER_CHILLER': sensors[0] ('supplyTemp').max: must be greater than min (0.0)");
        Path filled = Files.writeString(dir.resolve("filled.yaml"), r.yaml()
                .replaceFirst("min: 0 .*\\n    max: 0", "min: 0\n    max: 30")
                .replaceFirst("min: 0 .*\\n    max: 0", "min: 0\n    max: 900")
                .replaceFirst("min: 0 .*\\n    max: 0", "min: 0\n    max: 200000"));
        AssetModel m = ModelDefinitions.read(filled).get(0);
        assertThat(m.sensorNames()).containsExactly("supplyTemp", "power", "runHours");
        assertThat(m.sensor("supplyTemp").unit()).isEqualTo("degC");
        assertThat(m.sensor("supplyTemp").description()).isEqualTo("chilled water supply");
        assertThat(m.sensor("power").unit()).isEqualTo("kW");
        assertThat(m.samplingIntervalMs()).isEqualTo(10_000);
        assertThat(m.description()).isEqualTo("Water chiller");
    }

    @Test
    void somethingElseThanAnInterfaceIsRefused() throws Exception {
        assertThatThrownBy(() -> DtdlImport.convert(Json.MAPPER.readTree("{\"@type\": \"Telemetry\"}"), 1000))
                .hasMessage("not a DTDL Interface (its @type is 'Telemetry')");
    }
}
