package io.twinstream.jobs.twin;

import static io.twinstream.jobs.twin.DigitalTwinFunctionTest.ALERTING;
import static io.twinstream.jobs.twin.DigitalTwinFunctionTest.SCORING;
import static io.twinstream.jobs.twin.DigitalTwinFunctionTest.TWIN;
import static io.twinstream.jobs.twin.DigitalTwinFunctionTest.side;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.TwinSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator that keeps the twin's wake-ups out of checkpoints, against Flink's own KeyedProcessOperator. */
class DigitalTwinOperatorTest {
    static final int MAX_PARALLELISM = 128;
    static final int FLEET = 200;

    static DigitalTwinFunction function() {
        return new DigitalTwinFunction(AssetModels.builtIn(), TWIN, SCORING, ALERTING, 5_000);
    }

    static TwinHarness harness(DigitalTwinOperator operator, String backend, int subtasks, int subtask)
            throws Exception {
        return withBackend(TwinHarness.of(operator, MAX_PARALLELISM, subtasks, subtask), backend);
    }

    /** Flink's own keyed process operator running the same function. */
    static TwinHarness harness(KeyedProcessOperator<String, Ingested, TwinSnapshot> operator, String backend,
            int subtasks, int subtask) throws Exception {
        return withBackend(TwinHarness.flinks((DigitalTwinFunction) operator.getUserFunction(), MAX_PARALLELISM,
                subtasks, subtask), backend);
    }

    private static TwinHarness withBackend(TwinHarness h, String backend) {
        if (backend.equals("rocksdb")) {
            EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
            // as the pipeline configures it (TwinPipeline.ROCKSDB_TUNING): Flink's timers, if any, on the heap
            rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
            h.setStateBackend(rocksDb);
        }
        return h;
    }

    /** Each pump of a fleet reports every second from t = 1 s to 5 s, the fleet interleaved by time. */
    static List<Ingested> fleetReadings(int seconds) {
        List<Ingested> in = new ArrayList<>();
        for (int s = 1; s <= seconds; s++) {
            for (int a = 0; a < FLEET; a++) {
                in.add(DigitalTwinFunctionTest.reading("pump-" + a, s, s * 1_000L + a, 100 + a % 13 + s % 3));
            }
        }
        return in;
    }

    record PerAsset(Map<String, List<TwinSnapshot>> snapshots, Map<String, List<AnomalyScore>> scores,
                    Map<String, List<Alert>> alerts) {
        static PerAsset of(TwinHarness h) {
            return new PerAsset(byAsset(h.extractOutputValues(), TwinSnapshot::assetId),
                    byAsset(side(h, DigitalTwinFunction.SCORES), AnomalyScore::assetId),
                    byAsset(side(h, DigitalTwinFunction.ALERTS), Alert::assetId));
        }
    }

    static <T> Map<String, List<T>> byAsset(List<T> values, Function<T, String> asset) {
        return values.stream().collect(Collectors.groupingBy(asset, TreeMap::new, Collectors.toList()));
    }

    static Set<String> offline(TwinHarness h) {
        return h.extractOutputValues().stream().filter(s -> s.status() == AssetStatus.OFFLINE)
                .map(TwinSnapshot::assetId).collect(Collectors.toSet());
    }

    @Test
    void eachAssetGetsExactlyTheOutputOfFlinksKeyedProcessOperator() throws Exception {
        List<Ingested> in = new ArrayList<>(fleetReadings(40));
        DigitalTwinFunctionTest.pumpStream("pump-x").forEach(in::add);
        in.sort(Comparator.comparingLong(r -> r.telemetry().timestamp()));
        var flinks = harness(new KeyedProcessOperator<>(function()), "hashmap", 1, 0);
        var ours = harness(new DigitalTwinOperator(function()), "hashmap", 1, 0);
        for (var h : List.of(flinks, ours)) {
            h.open();
            DigitalTwinFunctionTest.feed(h, in, 37);
            h.processWatermark(Long.MAX_VALUE);
        }
        PerAsset expected = PerAsset.of(flinks);
        PerAsset actual = PerAsset.of(ours);
        assertThat(actual.snapshots()).hasSize(FLEET + 1).isEqualTo(expected.snapshots());
        assertThat(actual.scores()).isNotEmpty().isEqualTo(expected.scores());
        assertThat(actual.alerts()).isNotEmpty().isEqualTo(expected.alerts());
        assertThat(offline(ours)).as("the silences wake every asset").hasSize(FLEET + 1);
        flinks.close();
        ours.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aRestoreWakesEverySilentAssetThoughNoCheckpointHoldsATimer(String backend) throws Exception {
        var first = harness(new DigitalTwinOperator(function()), backend, 1, 0);
        first.open();
        DigitalTwinFunctionTest.feed(first, fleetReadings(5), FLEET);
        assertThat(((DigitalTwinOperator) first.getOperator()).scheduledWakeUps()).isEqualTo(FLEET);
        OperatorSubtaskState checkpoint = first.snapshot(1, 1);
        first.close();
        assertThat(rawKeyedBytes(checkpoint)).as("Flink's timers: the same bytes as with no assets at all")
                .isEqualTo(rawKeyedBytesWithNoAssets(new DigitalTwinOperator(function()), backend));

        var second = harness(new DigitalTwinOperator(function()), backend, 1, 0);
        second.initializeState(checkpoint);
        second.open();
        assertThat(((DigitalTwinOperator) second.getOperator()).scheduledWakeUps()).isEqualTo(FLEET);
        second.processWatermark(30_000);
        assertThat(offline(second)).hasSize(FLEET);
        second.close();
    }

    /** What the test above checks is there to check: Flink writes its heap timers into a RocksDB checkpoint. */
    @Test
    void flinksOwnOperatorWritesATimerPerAssetIntoARocksDbCheckpoint() throws Exception {
        var h = harness(new KeyedProcessOperator<>(function()), "rocksdb", 1, 0);
        h.open();
        DigitalTwinFunctionTest.feed(h, fleetReadings(5), FLEET);
        assertThat(h.numEventTimeTimers()).isEqualTo(FLEET);
        long bytes = rawKeyedBytes(h.snapshot(1, 1));
        h.close();
        assertThat(bytes).isGreaterThan(rawKeyedBytesWithNoAssets(new KeyedProcessOperator<>(function()), "rocksdb")
                + FLEET * 8L);
    }

    /** With RocksDB, Flink writes its heap timers as raw keyed state (a header per key group even with none). */
    static long rawKeyedBytes(OperatorSubtaskState checkpoint) {
        return checkpoint.getRawKeyedState().stream().mapToLong(s -> s.getStateSize()).sum();
    }

    static long rawKeyedBytesWithNoAssets(Object operator, String backend) throws Exception {
        @SuppressWarnings("unchecked")
        var h = operator instanceof DigitalTwinOperator ours ? harness(ours, backend, 1, 0)
                : harness((KeyedProcessOperator<String, Ingested, TwinSnapshot>) operator, backend, 1, 0);
        h.open();
        long bytes = rawKeyedBytes(h.snapshot(1, 1));
        h.close();
        return bytes;
    }

    @Test
    void afterARescaleEachSubtaskWakesTheSilentAssetsItTookOver() throws Exception {
        var one = harness(new DigitalTwinOperator(function()), "rocksdb", 1, 0);
        one.open();
        DigitalTwinFunctionTest.feed(one, fleetReadings(5), FLEET);
        OperatorSubtaskState checkpoint = one.snapshot(1, 1);
        one.close();

        List<Set<String>> woken = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            var h = harness(new DigitalTwinOperator(function()), "rocksdb", 2, subtask);
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(checkpoint, MAX_PARALLELISM,
                    1, 2, subtask));
            h.open();
            h.processWatermark(30_000);
            woken.add(offline(h));
            h.close();
        }
        assertThat(woken.get(0)).isNotEmpty().doesNotContainAnyElementsOf(woken.get(1));
        assertThat(woken.get(1)).isNotEmpty();
        assertThat(woken.get(0).size() + woken.get(1).size()).isEqualTo(FLEET);
    }

    /** The function as releases before layout 2 of {@link AssetStateSerializer} wrote its state. */
    static final class WritingLayoutOne extends DigitalTwinFunction {
        private static final long serialVersionUID = 1L;

        WritingLayoutOne() {
            super(AssetModels.builtIn(), TWIN, SCORING, ALERTING, 5_000);
        }

        @Override
        org.apache.flink.api.common.state.ValueStateDescriptor<AssetState> stateDescriptor() {
            return stateDescriptor(TWIN.stateTtlMs(), new AssetStateSerializer(1));
        }
    }

    /**
     * A checkpoint whose assets' values were written in layout 1 restores into this release: Flink reads them with
     * layout 1 and writes them in layout 2 (on RocksDB all at once during the restore), and every asset's output goes
     * on exactly as without the checkpoint.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void stateWrittenInTheFormerLayoutRestoresAndGoesOnExactly(String backend) throws Exception {
        List<Ingested> in = new ArrayList<>(fleetReadings(40));
        DigitalTwinFunctionTest.pumpStream("pump-x").forEach(in::add);
        in.sort(Comparator.comparingLong(r -> r.telemetry().timestamp()));
        int cut = in.size() * 2 / 3;

        var whole = harness(new DigitalTwinOperator(function()), backend, 1, 0);
        whole.open();
        DigitalTwinFunctionTest.feed(whole, in, 37);
        whole.processWatermark(Long.MAX_VALUE);
        PerAsset expected = PerAsset.of(whole);
        whole.close();

        var before = harness(new DigitalTwinOperator(new WritingLayoutOne()), backend, 1, 0);
        before.open();
        DigitalTwinFunctionTest.feed(before, in.subList(0, cut), 37);
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        var after = harness(new DigitalTwinOperator(function()), backend, 1, 0);
        after.initializeState(checkpoint);
        after.open();
        DigitalTwinFunctionTest.feed(after, in.subList(cut, in.size()), 37);
        after.processWatermark(Long.MAX_VALUE);

        PerAsset first = PerAsset.of(before);
        PerAsset second = PerAsset.of(after);
        before.close();
        after.close();
        // the former layout has no energy meter: a restored twin's energy starts at the upgrade, all else goes on
        assertThat(withoutEnergy(joined(first.snapshots(), second.snapshots()))).hasSize(FLEET + 1)
                .isEqualTo(withoutEnergy(expected.snapshots()));
        assertThat(joined(first.scores(), second.scores())).isNotEmpty().isEqualTo(expected.scores());
        assertThat(joined(first.alerts(), second.alerts())).isNotEmpty().isEqualTo(expected.alerts());
        assertThat(second.alerts()).as("alerts open in the checkpoint go on after it").isNotEmpty();
        assertThat(second.snapshots().values().stream().flatMap(List::stream)).as("energy after the upgrade")
                .anyMatch(s -> s.energy() != null && s.energy().totalConsumedKwh() > 0);
    }

    static Map<String, List<io.twinstream.schemas.TwinSnapshot>> withoutEnergy(
            Map<String, List<io.twinstream.schemas.TwinSnapshot>> snapshots) {
        Map<String, List<io.twinstream.schemas.TwinSnapshot>> out = new TreeMap<>();
        snapshots.forEach((k, v) -> out.put(k, v.stream().map(s -> s.withEnergy(null)).toList()));
        return out;
    }

    static <T> Map<String, List<T>> joined(Map<String, List<T>> a, Map<String, List<T>> b) {
        Map<String, List<T>> all = new TreeMap<>();
        a.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        b.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return all;
    }
}
