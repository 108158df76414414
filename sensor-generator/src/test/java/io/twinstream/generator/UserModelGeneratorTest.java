package io.twinstream.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.Telemetry;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generator simulates a model it was never written for, from its ranges and interval, faults included. */
class UserModelGeneratorTest {
    static final AssetModel CHILLER = new AssetModel("CHILLER", 1, "chiller", 5_000, List.of(
            new SensorSpec("supply_temp_c", "degC", -5, 30, null, null, 14.0),
            new SensorSpec("compressor_power_kw", "kW", 0, 400),
            new SensorSpec("flow_m3h", "m3/h", 0, 300)));
    static final AssetModels MODELS = AssetModels.builtIn().with(List.of(CHILLER));

    static CollectingSink run(GeneratorConfig config) throws Exception {
        CollectingSink sink = new CollectingSink();
        new FleetGenerator(config, MODELS).run(sink);
        return sink;
    }

    @Test
    void aCleanRunStaysInsideTheRangesAndAlertLimitsAndFollowsTheInterval() throws Exception {
        CollectingSink run = run(FleetGeneratorTest.clean(6, 24 * 60).assetTypes(List.of("CHILLER")).build());
        List<Telemetry> readings = run.records.stream().map(GeneratedRecord::reading).toList();
        assertThat(readings).hasSize(6 * 24 * 60 * 12);
        assertThat(readings).allSatisfy(t -> {
            assertThat(t.assetType()).isEqualTo("CHILLER");
            assertThat(t.assetId()).startsWith("chiller-");
            assertThat(t.readings()).containsOnlyKeys("supply_temp_c", "compressor_power_kw", "flow_m3h");
            assertThat(t.readings().get("supply_temp_c")).isBetween(-5.0, 14.0);
            assertThat(t.readings().get("compressor_power_kw")).isBetween(0.0, 400.0);
        });
        // a daily cycle and noise: the values move, and not by the same step every time
        Set<Double> flows = readings.stream().filter(t -> t.assetId().equals("chiller-00000"))
                .map(t -> t.readings().get("flow_m3h")).collect(Collectors.toSet());
        assertThat(flows.size()).isGreaterThan(1_000);
    }

    @Test
    void faultsAreInjectedAndLabelledAsForTheBuiltIns() throws Exception {
        CollectingSink run = run(FleetGeneratorTest.clean(6, 240).assetTypes(List.of("CHILLER"))
                .faultsPerAssetHour(2).faultKinds(EnumSet.allOf(FaultKind.class)).build());
        assertThat(run.labels).isNotEmpty();
        assertThat(run.labels).allSatisfy(l -> assertThat(l.assetId()).startsWith("chiller-"));
        assertThat(run.labels.stream().map(l -> l.kind()).collect(Collectors.toSet())).hasSizeGreaterThan(2);
    }
}
