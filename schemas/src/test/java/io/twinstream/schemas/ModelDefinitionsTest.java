package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelDefinitionsTest {

    static final String CHILLER_YAML = """
            - type: CHILLER
              version: 2
              description: Water-cooled chiller
              samplingIntervalMs: 5000
              sensors:
                - {name: supply_temp_c, unit: degC, min: -10, max: 30, alertAbove: 12}
                - {name: power_kw, unit: kW, min: 0, max: 900, description: compressor power}
            """;

    @Test
    void aYamlFileAddsItsModelsToTheBuiltIns(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("chiller.yaml"), CHILLER_YAML);
        AssetModels models = ModelDefinitions.load(file);
        AssetModel chiller = models.get("CHILLER");
        assertThat(chiller.version()).isEqualTo(2);
        assertThat(chiller.sensorNames()).containsExactly("supply_temp_c", "power_kw");
        assertThat(chiller.sensor("supply_temp_c").highLimit()).isEqualTo(12.0);
        assertThat(chiller.sensor("power_kw").description()).isEqualTo("compressor power");
        assertThat(models.get(AssetModels.WIND_TURBINE)).isNotNull();
        assertThat(models.get(AssetModels.WIND_TURBINE).version()).isEqualTo(1);
    }

    @Test
    void aDirectoryReadsEveryDefinitionFileAndAJsonFileMayHoldOneModel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yml"), CHILLER_YAML);
        Files.writeString(dir.resolve("b.json"), """
                {"type": "INVERTER", "samplingIntervalMs": 1000,
                 "sensors": [{"name": "ac_power_kw", "unit": "kW", "min": 0, "max": 100}]}""");
        Files.writeString(dir.resolve("notes.txt"), "not a model");
        assertThat(ModelDefinitions.read(dir)).extracting(AssetModel::type).containsExactly("CHILLER", "INVERTER");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{type: X, samplingIntervalMs: 1000, sensors: [{name: a, unit: u, min: 5, max: 1}]}"
                + "| m.yaml: model 'X': sensors[0] ('a').max: must be greater than min (5.0)",
        "{type: X, samplingIntervalMs: 0, sensors: [{name: a, unit: u, min: 0, max: 1}]}"
                + "| m.yaml: model 'X': samplingIntervalMs: must have a minimum value of 1",
        "{type: X, samplingIntervalMs: 10, sensors: [{name: a, unit: u, min: 0}]}"
                + "| m.yaml: model 'X': sensors[0]: required property 'max' not found",
        "{type: X, samplingIntervalMs: 10, sensors: [{name: a, unit: u, min: 0, max: 1, alertAbove: 3}]}"
                + "| m.yaml: model 'X': sensors[0] ('a').alertAbove: must lie in [min, max]",
        "{type: X, samplingIntervalMs: 10, sensors: [{name: a, unit: u, min: 0, max: 1}, {name: a, unit: u, min: 0, max: 1}]}"
                + "| m.yaml: model 'X': sensors[1] ('a').name: declared twice",
        "{type: X, samplingIntervalMs: 10, sensors: [{name: a, unit: u, min: 0, max: 1, colour: red}]}"
                + "| m.yaml: model 'X': sensors[0]: property 'colour' is not defined in the schema and the schema does not allow additional properties",
        "{samplingIntervalMs: 10, sensors: []}"
                + "| m.yaml: model: required property 'type' not found",
    })
    void aBadModelIsRefusedNamingFileModelAndField(String yaml, String message, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("m.yaml"), yaml);
        assertThatThrownBy(() -> ModelDefinitions.load(file))
                .isInstanceOf(DefinitionException.class)
                .hasMessage(dir.resolve(message.split(": ", 2)[0]) + ": " + message.split(": ", 2)[1]);
    }

    @Test
    void brokenSyntaxAndMissingFilesAreNamedToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("m.json"), "{\"type\": ");
        assertThatThrownBy(() -> ModelDefinitions.load(file)).hasMessageStartingWith(file + ": not valid JSON");
        assertThatThrownBy(() -> ModelDefinitions.load(dir.resolve("nope.yaml")))
                .hasMessage(dir.resolve("nope.yaml") + ": no such file or directory");
        Files.writeString(dir.resolve("a.yaml"), CHILLER_YAML);
        Files.writeString(dir.resolve("m.json"), "[]");
        Files.writeString(dir.resolve("z.yaml"), CHILLER_YAML);
        assertThatThrownBy(() -> ModelDefinitions.read(dir))
                .hasMessage(dir.resolve("z.yaml") + ": model 'CHILLER' is also defined in " + dir.resolve("a.yaml"));
    }

    @Test
    void aRunningSetTakesNewTypesAndHigherVersionsOnly() {
        AssetModels models = AssetModels.builtIn();
        AssetModel v1 = ModelDefinitions.parseRecord("""
                {"type": "CHILLER", "samplingIntervalMs": 1000,
                 "sensors": [{"name": "a", "unit": "u", "min": 0, "max": 1}]}""".getBytes());
        AssetModel v2 = new AssetModel("CHILLER", 2, null, 1000, List.of(new SensorSpec("b", "u", 0, 1)));
        AssetModel v2other = new AssetModel("CHILLER", 2, null, 2000, List.of(new SensorSpec("b", "u", 0, 1)));
        assertThat(models.put(v1)).isEqualTo(AssetModels.Change.ADDED);
        assertThat(models.put(v1)).isEqualTo(AssetModels.Change.SAME);
        assertThat(models.put(v2)).isEqualTo(AssetModels.Change.NEW_VERSION);
        assertThat(models.get("CHILLER")).isSameAs(v2);
        assertThat(models.put(v1)).isEqualTo(AssetModels.Change.REFUSED);
        assertThat(models.put(v2other)).isEqualTo(AssetModels.Change.REFUSED);
        assertThat(models.get(new String("CHILLER".toCharArray()))).isSameAs(v2);
    }

    @Test
    void whatTheRecordsWriteIsReadBack() throws Exception {
        AssetEntry entry = new AssetEntry(null, "ch-1", "CHILLER", null, null, null, null, null, null, null);
        assertThat(AssetEntries.parseRecord(Json.MAPPER.writeValueAsBytes(entry))).isEqualTo(entry);
        AssetModel model = new AssetModel("X", null, null, 10, List.of(new SensorSpec("a", "u", 0, 1)));
        assertThat(ModelDefinitions.parseRecord(Json.MAPPER.writeValueAsBytes(model))).isEqualTo(model);
    }

    @Test
    void registryEntriesFromCsvAndJsonAreChecked(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("assets.csv"), """
                assetId,assetType,siteId,displayName,latitude,longitude,parentId,tags,commissionedOn
                ch-1,CHILLER,plant-a,"Chiller 1, roof",52.5,13.4,line-1,hvac|roof,2021-06-01
                ch-2,CHILLER,plant-a,,,,,,
                """);
        List<AssetEntry> entries = AssetEntries.readFile(csv);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).displayName()).isEqualTo("Chiller 1, roof");
        assertThat(entries.get(0).tags()).containsExactly("hvac", "roof");
        assertThat(entries.get(0).latitude()).isEqualTo(52.5);
        assertThat(entries.get(1).parentId()).isNull();
        assertThat(entries.get(1).tags()).isEmpty();

        Path bad = Files.writeString(dir.resolve("bad.csv"), "assetId,assetType,latitude\nch-3,CHILLER,95\n");
        assertThatThrownBy(() -> AssetEntries.readFile(bad))
                .hasMessage(bad + ": entry 1, asset 'ch-3': latitude: must have a maximum value of 90");
        assertThatThrownBy(() -> AssetEntries.parseRecord("{\"assetId\": \"x\"}".getBytes()))
                .hasMessage("asset 'x': required property 'assetType' not found");
        assertThatThrownBy(() -> AssetEntries.parseRecord(
                "{\"assetId\": \"x\", \"assetType\": \"T\", \"commissionedOn\": \"2021-13-45\"}".getBytes()))
                .hasMessage("asset 'x': commissionedOn: not a date: 2021-13-45");
    }
}
