package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AssetModelsTest {

    @Test
    void builtInRegistryDeclaresTheFourAssetTypesWithSaneSensors() {
        AssetModels models = AssetModels.builtIn();
        assertThat(models.all()).extracting(AssetModel::type).containsExactly(
                AssetModels.WIND_TURBINE, AssetModels.EV_BATTERY, AssetModels.INDUSTRIAL_PUMP,
                AssetModels.PATIENT_WEARABLE);
        for (AssetModel m : models.all()) {
            assertThat(m.samplingIntervalMs()).as(m.type()).isPositive();
            assertThat(m.sensors()).as(m.type()).isNotEmpty();
            for (SensorSpec s : m.sensors()) {
                assertThat(s.max()).as(m.type() + "." + s.name()).isGreaterThan(s.min());
                assertThat(s.unit()).isNotBlank();
            }
        }
        assertThat(models.get("NOPE")).isNull();
        assertThat(models.get(AssetModels.INDUSTRIAL_PUMP).sensor("bearing_temp_c").inRange(120)).isFalse();
    }

    @Test
    void findsATypeByAnyEqualStringAlsoAfterJavaSerialization() throws Exception {
        AssetModels models = AssetModels.builtIn();
        String fresh = new String(AssetModels.EV_BATTERY.toCharArray()); // as a deserialized reading carries it
        assertThat(models.get(fresh).type()).isEqualTo(AssetModels.EV_BATTERY);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(models); // as Flink ships an operator's models to each subtask
        }
        AssetModels shipped;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (AssetModels) in.readObject();
        }
        for (AssetModel m : shipped.all()) {
            assertThat(shipped.get(m.type())).isSameAs(m);
            assertThat(shipped.get(new String(m.type().toCharArray()))).isSameAs(m);
        }
        assertThat(shipped.get("NOPE")).isNull();
    }
}
