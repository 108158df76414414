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
}
