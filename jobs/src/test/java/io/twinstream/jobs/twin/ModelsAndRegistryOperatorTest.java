package io.twinstream.jobs.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.AssetEntry;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The twin operator with models arriving on its broadcast input and registry entries on its keyed input, in Flink's
 * test harness with Flink's state backends: what a running job does when a user adds a type, changes a model or
 * registers an asset, and that a restore (also at another parallelism) starts from the models in force.
 */
class ModelsAndRegistryOperatorTest {
    static final int MAX_PARALLELISM = 128;

    static final AssetModel CHILLER_V1 = new AssetModel("CHILLER", 1, "chiller", 1_000, List.of(
            new SensorSpec("supply_temp_c", "degC", -10, 30),
            new SensorSpec("power_kw", "kW", 0, 900),
            new SensorSpec("flow_m3h", "m3/h", 0, 500)));
    /** Version 2: flow removed, a condenser temperature added, the supply range narrowed and an alert limit set. */
    static final AssetModel CHILLER_V2 = new AssetModel("CHILLER", 2, "chiller", 1_000, List.of(
            new SensorSpec("supply_temp_c", "degC", -5, 25, null, null, 12.0),
            new SensorSpec("power_kw", "kW", 0, 900),
            new SensorSpec("condenser_temp_c", "degC", 0, 60)));

    static DigitalTwinFunction function(boolean infer) {
        TwinSettings twin = new TwinSettings(15_000, 3, 10, 128, 3_600_000, 5_000, 60_000, infer, 60_000);
        return new DigitalTwinFunction(AssetModels.builtIn(), twin, ScoringSettings.from(PipelineConfig.defaults()),
                DigitalTwinFunctionTest.ALERTING, 0);
    }

    static TwinHarness open(DigitalTwinFunction f, String backend, int subtasks, int subtask, OperatorSubtaskState from)
            throws Exception {
        TwinHarness h = TwinHarness.of(new DigitalTwinOperator(f), MAX_PARALLELISM, subtasks, subtask);
        if (backend.equals("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (from != null) {
            h.initializeState(from);
        }
        h.open();
        return h;
    }

    static Ingested chiller(String asset, long seq, AssetModel model, String type, String site) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (SensorSpec s : model.sensors()) {
            values.put(s.name(), s.min() + (s.max() - s.min()) * (0.3 + 0.01 * Math.sin(seq / 7.0)) + 0.001 * seq % 3);
        }
        return Ingested.valid(new Telemetry(1, asset + ":" + seq, asset, type, site, seq * 1_000, seq, values),
                "telemetry.raw", 0, seq);
    }

    static Ingested registration(AssetEntry entry) throws Exception {
        return Ingested.registered(entry.assetId(), Json.MAPPER.writeValueAsString(entry), "twin.assets", 0, 0);
    }

    static void send(TwinHarness h, Ingested in) throws Exception {
        h.processElement(new StreamRecord<>(in, in.isRegistration() ? Long.MIN_VALUE : in.telemetry().timestamp()));
    }

    static List<DeadLetter> deadLetters(TwinHarness h) {
        return DigitalTwinFunctionTest.side(h, DigitalTwinFunction.DEAD_LETTERS);
    }

    static TwinSnapshot lastOf(TwinHarness h, String asset) {
        List<TwinSnapshot> all = h.extractOutputValues().stream().filter(s -> s.assetId().equals(asset)).toList();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    @Test
    void aNewTypeOnTheModelsInputAppliesToTheNextReadingsWithoutARestart() throws Exception {
        TwinHarness h = open(function(false), "hashmap", 1, 0, null);
        send(h, chiller("ch-1", 1, CHILLER_V1, "CHILLER", "plant-a"));
        assertThat(deadLetters(h)).extracting(DeadLetter::reasonCode).containsExactly(RejectReason.UNKNOWN_ASSET_TYPE);
        assertThat(deadLetters(h).get(0).reason()).isEqualTo("no model declares assetType 'CHILLER'");

        h.processModel(CHILLER_V1);
        for (long s = 2; s <= 20; s++) {
            send(h, chiller("ch-1", s, CHILLER_V1, "CHILLER", "plant-a"));
        }
        h.processWatermark(Long.MAX_VALUE);
        TwinSnapshot twin = lastOf(h, "ch-1");
        assertThat(twin.eventsAccepted()).isEqualTo(19);
        assertThat(twin.modelVersion()).isEqualTo(1);
        assertThat(twin.sensors()).containsOnlyKeys("supply_temp_c", "power_kw", "flow_m3h");

        // a sensor the model does not declare is still refused
        send(h, Ingested.valid(new Telemetry(1, "x", "ch-9", "CHILLER", "plant-a", 1_000, 1, Map.of("crumbs", 1.0)),
                "telemetry.raw", 0, 99));
        assertThat(deadLetters(h)).extracting(DeadLetter::reasonCode)
                .containsExactly(RejectReason.UNKNOWN_ASSET_TYPE, RejectReason.UNKNOWN_SENSOR);
        h.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aNewVersionKeepsWhatTheTwinLearnedOfTheSensorsThatRemain(String backend) throws Exception {
        TwinHarness h = open(function(false), backend, 1, 0, null);
        h.processModel(CHILLER_V1);
        for (long s = 1; s <= 200; s++) {
            send(h, chiller("ch-1", s, CHILLER_V1, "CHILLER", "plant-a"));
        }
        h.processWatermark(300_000);
        TwinSnapshot before = lastOf(h, "ch-1");
        assertThat(before.sensors().get("power_kw").count()).isEqualTo(200);

        h.processModel(CHILLER_V2);
        for (long s = 201; s <= 260; s++) {
            send(h, chiller("ch-1", s, CHILLER_V2, "CHILLER", "plant-a"));
        }
        h.processWatermark(Long.MAX_VALUE);
        TwinSnapshot after = lastOf(h, "ch-1");
        assertThat(after.modelVersion()).isEqualTo(2);
        assertThat(after.sensors()).containsOnlyKeys("supply_temp_c", "power_kw", "condenser_temp_c");
        assertThat(after.sensors().get("power_kw").count()).as("a remaining sensor's statistics carry on").isEqualTo(260);
        assertThat(after.sensors().get("condenser_temp_c").count()).isEqualTo(60);
        assertThat(after.eventsAccepted()).isEqualTo(260);
        // v1 readings after the change carry a sensor v2 no longer declares
        send(h, chiller("ch-1", 261, CHILLER_V1, "CHILLER", "plant-a"));
        assertThat(deadLetters(h)).extracting(DeadLetter::reasonCode).containsExactly(RejectReason.UNKNOWN_SENSOR);
        h.close();
    }

    @Test
    void anOlderVersionIsRefusedWithOneDeadLetterAndTheVersionInForceStays() throws Exception {
        TwinHarness first = open(function(false), "hashmap", 2, 0, null);
        TwinHarness second = open(function(false), "hashmap", 2, 1, null);
        for (TwinHarness h : List.of(first, second)) {
            h.processModel(CHILLER_V2);
            h.processModel(CHILLER_V1);
        }
        assertThat(deadLetters(first)).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo(RejectReason.INVALID_MODEL);
            assertThat(d.reason()).isEqualTo("version 1 of CHILLER is older than version 2 in force");
        });
        assertThat(deadLetters(second)).as("subtask 1 refuses it too, silently").isEmpty();
        send(first, chiller("ch-1", 1, CHILLER_V2, "CHILLER", "plant-a"));
        first.processWatermark(Long.MAX_VALUE);
        assertThat(lastOf(first, "ch-1").modelVersion()).isEqualTo(2);
        first.close();
        second.close();
    }

    /**
     * The models source does not read a model again after a restore (its offsets are in the checkpoint): only the
     * broadcast state brings it back, on every subtask of the new parallelism. The restored run's output equals that
     * of a run without the restore.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aRestoreAtAnotherParallelismStartsWithTheModelsInForceAndGivesTheSameOutput(String backend) throws Exception {
        List<Ingested> in = new ArrayList<>();
        for (long s = 1; s <= 120; s++) {
            for (int a = 0; a < 6; a++) {
                in.add(chiller("ch-" + a, s, CHILLER_V1, "CHILLER", "plant-a"));
            }
        }
        TwinHarness whole = open(function(false), backend, 1, 0, null);
        whole.processModel(CHILLER_V1);
        for (Ingested r : in) {
            send(whole, r);
        }
        whole.processWatermark(Long.MAX_VALUE);
        var expected = ModelsAndRegistryOperatorTest.perAsset(whole);
        whole.close();

        TwinHarness before = open(function(false), backend, 1, 0, null);
        before.processModel(CHILLER_V1);
        int half = in.size() / 2;
        for (Ingested r : in.subList(0, half)) {
            send(before, r);
        }
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        var firstHalf = perAsset(before);
        before.close();
        Map<String, List<TwinSnapshot>> actual = new java.util.TreeMap<>(firstHalf);
        for (int subtask = 0; subtask < 2; subtask++) {
            TwinHarness after = open(function(false), backend, 2, subtask, AbstractStreamOperatorTestHarness
                    .repartitionOperatorState(checkpoint, MAX_PARALLELISM, 1, 2, subtask));
            for (Ingested r : in.subList(half, in.size())) {
                if (org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        r.assetId(), MAX_PARALLELISM, 2) == subtask) {
                    send(after, r);
                }
            }
            after.processWatermark(Long.MAX_VALUE);
            assertThat(deadLetters(after)).as("no reading is refused for an unknown type").isEmpty();
            perAsset(after).forEach((asset, snapshots) ->
                    actual.computeIfAbsent(asset, k -> new ArrayList<>()).addAll(snapshots));
            after.close();
        }
        assertThat(actual).isEqualTo(expected);
    }

    static Map<String, List<TwinSnapshot>> perAsset(TwinHarness h) {
        return DigitalTwinOperatorTest.byAsset(h.extractOutputValues(), TwinSnapshot::assetId);
    }

    @Test
    void aRegisteredAssetTakesTypeAndSiteFromTheRegistryAndAChangeShowsAtOnce() throws Exception {
        TwinHarness h = open(function(false), "hashmap", 1, 0, null);
        h.processModel(CHILLER_V1);
        AssetEntry entry = new AssetEntry(1, "ch-1", "CHILLER", "plant-a", "Chiller 1", 52.5, 13.4, "line-1",
                List.of("hvac"), "2021-06-01");
        send(h, registration(entry));
        // no type, no site: the registry gives them
        for (long s = 1; s <= 10; s++) {
            send(h, chiller("ch-1", s, CHILLER_V1, null, null));
        }
        h.processWatermark(Long.MAX_VALUE - 1);
        TwinSnapshot twin = lastOf(h, "ch-1");
        assertThat(twin.assetType()).isEqualTo("CHILLER");
        assertThat(twin.siteId()).isEqualTo("plant-a");
        assertThat(twin.registry().displayName()).isEqualTo("Chiller 1");
        assertThat(twin.registry().parentId()).isEqualTo("line-1");

        send(h, registration(new AssetEntry(1, "ch-1", "CHILLER", "plant-b", "Chiller 1", 52.5, 13.4, "line-7",
                List.of("hvac"), "2021-06-01")));
        TwinSnapshot moved = lastOf(h, "ch-1");
        assertThat(moved.reason()).isEqualTo(SnapshotReason.REGISTRY);
        assertThat(moved.siteId()).isEqualTo("plant-b");
        assertThat(moved.registry().parentId()).isEqualTo("line-7");
        int snapshots = h.extractOutputValues().size();
        send(h, registration(new AssetEntry(1, "ch-1", "CHILLER", "plant-b", "Chiller 1", 52.5, 13.4, "line-7",
                List.of("hvac"), "2021-06-01")));
        assertThat(h.extractOutputValues()).as("the same entry again changes nothing").hasSize(snapshots);

        // an unregistered asset's reading without a type is refused, saying why
        send(h, chiller("ch-2", 1, CHILLER_V1, null, "plant-a"));
        assertThat(deadLetters(h)).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo(RejectReason.UNKNOWN_ASSET_TYPE);
            assertThat(d.reason()).contains("not in the registry");
        });
        h.close();
    }

    @Test
    void withInferAReadingOfAnUnknownTypeGetsATwinWhoseSensorsAreLearned() throws Exception {
        TwinHarness h = open(function(true), "hashmap", 1, 0, null);
        for (long s = 1; s <= 40; s++) {
            Map<String, Double> values = new LinkedHashMap<>(Map.of("a", 1.0 + s % 3, "b", 20.0 - s % 2));
            if (s > 30) {
                values.put("c", 5.0); // a sensor appears later
            }
            send(h, Ingested.valid(new Telemetry(1, "t:" + s, "toaster-1", "TOASTER", "kitchen", s * 1_000, s, values),
                    "telemetry.raw", 0, s));
        }
        h.processWatermark(Long.MAX_VALUE);
        TwinSnapshot twin = lastOf(h, "toaster-1");
        assertThat(twin.modelInferred()).isTrue();
        assertThat(twin.modelVersion()).isNull();
        assertThat(twin.sensors()).containsOnlyKeys("a", "b", "c");
        assertThat(twin.sensors().get("a").count()).isEqualTo(40);
        assertThat(deadLetters(h)).isEmpty();
        h.close();
    }
}
