package io.twinstream.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.Telemetry;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FleetGeneratorTest {
    static final long START = 1_763_884_800_000L;
    static final AssetModels MODELS = AssetModels.builtIn();
    static JsonSchema telemetrySchema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = FleetGeneratorTest.class.getResourceAsStream("/twinstream/schemas/telemetry.v1.schema.json")) {
            telemetrySchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static GeneratorConfig.Builder clean(int assets, long minutes) {
        return GeneratorConfig.defaults().copy().seed(7).assets(assets).startMs(START)
                .durationMs(minutes * 60_000).ratePerSecond(0).faultsPerAssetHour(0);
    }

    @Test
    void turbinesRunAtAPlausibleCapacityFactorOverSixHours() throws Exception {
        // a fleet of 4 types: every fourth asset a turbine; their energy from the built-in model's power
        CollectingSink run = CollectingSink.run(clean(40, 6 * 60).build());
        Map<String, List<Telemetry>> turbines = new HashMap<>();
        for (GeneratedRecord r : run.records) {
            Telemetry t = Json.MAPPER.readValue(r.value(), Telemetry.class);
            if (t.assetType().equals(AssetModels.WIND_TURBINE)) {
                turbines.computeIfAbsent(t.assetId(), k -> new ArrayList<>()).add(t);
            }
        }
        assertThat(turbines).hasSizeGreaterThanOrEqualTo(8);
        double rated = AssetModels.builtIn().get(AssetModels.WIND_TURBINE).energy().ratedKw();
        for (List<Telemetry> readings : turbines.values()) {
            double kwh = 0;
            for (int i = 1; i < readings.size(); i++) {
                double hours = (readings.get(i).timestamp() - readings.get(i - 1).timestamp()) / 3_600_000.0;
                kwh += (readings.get(i).readings().get("power_kw") + readings.get(i - 1).readings().get("power_kw")) / 2
                        * hours;
            }
            double hours = (readings.get(readings.size() - 1).timestamp() - readings.get(0).timestamp()) / 3_600_000.0;
            assertThat(kwh / (rated * hours)).as(readings.get(0).assetId()).isBetween(0.25, 0.45);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        GeneratorConfig config = clean(12, 10).faultsPerAssetHour(6).allTransportFaults(0.01).build();
        List<GeneratedRecord> a = CollectingSink.run(config).records;
        List<GeneratedRecord> b = CollectingSink.run(config).records;
        List<GeneratedRecord> c = CollectingSink.run(config.withSeed(8)).records;
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
        }
        assertThat(c.stream().map(r -> new String(r.value())).toList())
                .isNotEqualTo(a.stream().map(r -> new String(r.value())).toList());
    }

    @Test
    void cleanRunIsValidPlausibleAndInEventTimeOrder() throws Exception {
        CollectingSink run = CollectingSink.run(clean(16, 30).build());
        // 30 min: 1 s types send 1800 readings, 2 s types 900; 4 each of four types
        assertThat(run.records).hasSize(4 * 1800 + 4 * 1800 + 4 * 900 + 4 * 900);
        long previous = 0;
        for (GeneratedRecord r : run.records) {
            assertThat(r.transport()).isNull();
            Telemetry t = Json.MAPPER.readValue(r.value(), Telemetry.class);
            assertThat(t).isEqualTo(r.reading());
            // assets report in turn within one simulation tick (1 s): across assets order holds to within a tick
            assertThat(t.timestamp()).isGreaterThan(previous - 1_000);
            previous = Math.max(previous, t.timestamp());
            AssetModel model = MODELS.get(t.assetType());
            // every model sensor, written in sorted key order (the shared mapper sorts map entries)
            assertThat(t.readings().keySet()).containsExactlyElementsOf(
                    model.sensors().stream().map(SensorSpec::name).sorted().toList());
            t.readings().forEach((sensor, v) ->
                    assertThat(model.sensor(sensor).inRange(v)).as("%s %s=%s", t.assetId(), sensor, v).isTrue());
        }
        for (GeneratedRecord r : run.records.subList(0, 200)) {
            assertThat(telemetrySchema.validate(Json.MAPPER.readTree(r.value()))).isEmpty();
        }
        Map<String, List<Telemetry>> byAsset = run.records.stream().map(GeneratedRecord::reading)
                .collect(Collectors.groupingBy(Telemetry::assetId));
        byAsset.values().forEach(readings -> {
            for (int i = 0; i < readings.size(); i++) {
                assertThat(readings.get(i).seq()).isEqualTo(i + 1);
                if (i > 0) {
                    assertThat(readings.get(i).timestamp()).isGreaterThan(readings.get(i - 1).timestamp());
                }
            }
        });
    }

    @Test
    void correlatedSensorsMoveTogether() throws Exception {
        CollectingSink run = CollectingSink.run(clean(8, 120).assetTypes(
                List.of(AssetModels.WIND_TURBINE, AssetModels.INDUSTRIAL_PUMP)).build());
        List<Telemetry> turbines = readings(run, AssetModels.WIND_TURBINE);
        assertThat(correlation(turbines, "wind_speed", "power_kw")).isGreaterThan(0.8);
        assertThat(correlation(turbines, "rotor_rpm", "vibration_mm_s")).isGreaterThan(0.8);
        List<Telemetry> pumps = readings(run, AssetModels.INDUSTRIAL_PUMP);
        assertThat(correlation(pumps, "flow_m3h", "motor_current_a")).isGreaterThan(0.8);
    }

    static List<Telemetry> readings(CollectingSink run, String type) {
        return run.records.stream().map(GeneratedRecord::reading).filter(t -> t.assetType().equals(type)).toList();
    }

    static double correlation(List<Telemetry> rows, String x, String y) {
        double n = rows.size(), sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (Telemetry t : rows) {
            double a = t.readings().get(x), b = t.readings().get(y);
            sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b;
        }
        return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    }

    @Test
    void scheduledFaultsAreInjectedAndLabelled() throws Exception {
        // asset 2 is a pump (round-robin over the four types), asset 0 a turbine
        GeneratorConfig config = clean(4, 20).scheduledFaults(List.of(
                new GeneratorConfig.ScheduledFault(0, FaultKind.DROPOUT, null, 300_000, 120_000),
                new GeneratorConfig.ScheduledFault(2, FaultKind.STUCK, "flow_m3h", 300_000, 180_000),
                new GeneratorConfig.ScheduledFault(2, FaultKind.SPIKE, "vibration_mm_s", 900_000, 1_000),
                new GeneratorConfig.ScheduledFault(1, FaultKind.DEGRADATION, "cell_temp_c", 60_000, 900_000)))
                .build();
        CollectingSink run = CollectingSink.run(config);
        assertThat(run.labels).extracting(FaultLabel::kind).containsExactlyInAnyOrder(
                FaultKind.DROPOUT, FaultKind.STUCK, FaultKind.SPIKE, FaultKind.DEGRADATION);
        FaultLabel dropout = label(run, FaultKind.DROPOUT);
        assertThat(dropout.sensor()).isNull();
        assertThat(dropout.end() - dropout.start()).isEqualTo(120_000);
        List<Telemetry> turbine = run.records.stream().map(GeneratedRecord::reading)
                .filter(t -> t.assetId().equals(dropout.assetId())).toList();
        assertThat(turbine).noneMatch(t -> t.timestamp() >= dropout.start() && t.timestamp() < dropout.end());
        assertThat(turbine).anyMatch(t -> t.timestamp() >= dropout.end());

        FaultLabel stuck = label(run, FaultKind.STUCK);
        List<Double> stuckValues = run.records.stream().map(GeneratedRecord::reading)
                .filter(t -> t.assetId().equals(stuck.assetId()))
                .filter(t -> t.timestamp() >= stuck.start() && t.timestamp() < stuck.end())
                .map(t -> t.readings().get("flow_m3h")).distinct().toList();
        assertThat(stuckValues).hasSize(1);

        FaultLabel spike = label(run, FaultKind.SPIKE);
        double range = MODELS.get(AssetModels.INDUSTRIAL_PUMP).sensor("vibration_mm_s").max();
        Telemetry atSpike = run.records.stream().map(GeneratedRecord::reading)
                .filter(t -> t.assetId().equals(spike.assetId()) && t.timestamp() >= spike.start())
                .findFirst().orElseThrow();
        Telemetry before = run.records.stream().map(GeneratedRecord::reading)
                .filter(t -> t.assetId().equals(spike.assetId()) && t.timestamp() < spike.start())
                .max(Comparator.comparingLong(Telemetry::timestamp)).orElseThrow();
        assertThat(Math.abs(atSpike.readings().get("vibration_mm_s") - before.readings().get("vibration_mm_s")))
                .isGreaterThan(0.25 * range);

        FaultLabel wear = label(run, FaultKind.DEGRADATION);
        SensorSpec cell = MODELS.get(AssetModels.EV_BATTERY).sensor("cell_temp_c");
        double last = run.records.stream().map(GeneratedRecord::reading)
                .filter(t -> t.assetId().equals(wear.assetId()) && t.timestamp() < wear.end())
                .max(Comparator.comparingLong(Telemetry::timestamp)).orElseThrow().readings().get("cell_temp_c");
        assertThat(last).isGreaterThan(cell.max());
    }

    static FaultLabel label(CollectingSink run, FaultKind kind) {
        return run.labels.stream().filter(l -> l.kind() == kind).findFirst().orElseThrow();
    }

    @Test
    void randomFaultsCoverEveryKindAndStayInsideTheRun() throws Exception {
        GeneratorConfig config = clean(40, 120).faultsPerAssetHour(2).faultWarmupMs(300_000).build();
        CollectingSink run = CollectingSink.run(config);
        assertThat(run.labels.stream().map(FaultLabel::kind).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(FaultKind.class));
        for (FaultLabel l : run.labels) {
            assertThat(l.start()).isGreaterThanOrEqualTo(START + 300_000);
            assertThat(l.end()).isLessThanOrEqualTo(START + 120 * 60_000L).isGreaterThan(l.start());
        }
        Map<String, List<FaultLabel>> perAsset = run.labels.stream().collect(Collectors.groupingBy(FaultLabel::assetId));
        perAsset.values().forEach(labels -> {
            List<FaultLabel> sorted = new ArrayList<>(labels);
            sorted.sort(Comparator.comparingLong(FaultLabel::start));
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i).start()).isGreaterThan(sorted.get(i - 1).end());
            }
        });
    }

    @Test
    void transportFaultsAreTaggedTrueToTheirKind() throws Exception {
        GeneratorConfig config = clean(20, 20).allTransportFaults(0.01).lateDelayMs(60_000)
                .lateThresholdMs(15_000).build();
        CollectingSink run = CollectingSink.run(config);
        Map<TransportFault, Long> counts = new HashMap<>();
        Map<String, Long> newest = new HashMap<>();
        for (GeneratedRecord r : run.records) {
            if (r.transport() != null) {
                counts.merge(r.transport(), 1L, Long::sum);
            }
            String asset = r.reading().assetId();
            long ts = r.reading().timestamp();
            long max = newest.getOrDefault(asset, Long.MIN_VALUE);
            if (r.transport() == null) {
                assertThat(ts).isGreaterThanOrEqualTo(max);
            } else switch (r.transport()) {
                case MALFORMED_JSON -> assertThatThrownBy(() -> Json.MAPPER.readTree(r.value()))
                        .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
                case SCHEMA_VIOLATION -> assertThat(telemetrySchema.validate(Json.MAPPER.readTree(r.value()))).isNotEmpty();
                case UNKNOWN_ASSET_TYPE -> assertThat(Json.MAPPER.readValue(r.value(), Telemetry.class).assetType())
                        .isEqualTo("TOASTER");
                case LATE -> assertThat(max - ts).isGreaterThan(15_000);
                case OUT_OF_ORDER -> assertThat(max - ts).isPositive().isLessThanOrEqualTo(15_000);
                case DUPLICATE -> assertThat(r.value()).isEqualTo(previousOf(run, r).value());
            }
            if (r.acceptedByTwin()) {
                newest.merge(asset, ts, Math::max);
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(TransportFault.values());
    }

    static GeneratedRecord previousOf(CollectingSink run, GeneratedRecord r) {
        int i = run.records.indexOf(r);
        return run.records.get(i - 1);
    }
}
