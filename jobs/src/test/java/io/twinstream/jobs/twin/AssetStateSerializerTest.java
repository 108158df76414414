package io.twinstream.jobs.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.RecordSink;
import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link AssetStateSerializer} gives back every state exactly, in both its layouts: the states the twin operator
 * builds from a generated fleet with faults (new, young and mature assets, readings waiting in order, open alerts),
 * and hand-made edge cases. It writes fewer bytes than Flink's POJO serializer, which it replaces, layout 2 fewer than
 * layout 1, and it migrates state either of those wrote.
 */
class AssetStateSerializerTest {
    static final AssetStateSerializer SERIALIZER = new AssetStateSerializer();
    static final AssetStateSerializer LAYOUT_1 = new AssetStateSerializer(1);
    static final AssetStateSerializer LAYOUT_2 = new AssetStateSerializer(2);
    static final TypeSerializer<AssetState> POJO = TypeInformation.of(AssetState.class).createSerializer(new SerializerConfigImpl());

    @Test
    void theTwinOperatorsStatesRoundTripExactlyAndInFewerBytesThanThePojoSerializer() throws Exception {
        // a reordering bound, so readings wait in the state; faults, so some are duplicates and scores are high
        Map<String, AssetState> young = statesAfter(20_000, 5_000);
        Map<String, AssetState> mature = statesAfter(15 * 60_000, 5_000);
        assertThat(mature.values()).anySatisfy(s -> assertThat(s.pending).isNotEmpty());
        assertThat(mature.values()).allSatisfy(s -> assertThat(s.alerts.maintenance).isNotEmpty());
        assertThat(mature.values()).allSatisfy(s -> assertThat(s.scoring.samples).isGreaterThan(50));

        for (Map<String, AssetState> states : List.of(young, mature)) {
            long compact = 0;
            long pojo = 0;
            for (AssetState s : states.values()) {
                byte[] bytes = bytes(SERIALIZER, s);
                assertRoundTrips(s);
                compact += bytes.length;
                pojo += bytes(POJO, s).length;
            }
            System.out.printf("%s: %,d assets, %,d bytes per state against %,d with Flink's POJO serializer%n",
                    states == young ? "young" : "mature", states.size(), compact / states.size(), pojo / states.size());
            assertThat(compact).isLessThan(pojo * 6 / 10);
        }
    }

    /**
     * Layout 2 against layout 1. Most of the million-asset benchmark's assets have had one or two readings (applied on
     * arrival, as there): those values shrink to under half. Mature ones, with readings waiting, shrink less.
     */
    @Test
    void layoutTwoWritesFewerBytesThanLayoutOneAndHalfForANewAsset() throws Exception {
        Map<String, AssetState> first = statesAfter(1_000, 0);
        Map<String, AssetState> mature = statesAfter(15 * 60_000, 5_000);
        assertThat(first.values()).allSatisfy(s -> assertThat(s.twin.eventsAccepted).isEqualTo(1));
        for (Map<String, AssetState> states : List.of(first, mature)) {
            long one = 0;
            long two = 0;
            long three = 0;
            for (AssetState s : states.values()) {
                assertRoundTrips(s);
                one += bytes(LAYOUT_1, s).length;
                two += bytes(LAYOUT_2, s).length;
                three += bytes(SERIALIZER, s).length;
            }
            System.out.printf("%s: %,d bytes per state in layout 3, %,d in layout 2, %,d in layout 1%n",
                    states == first ? "after one reading" : "mature", three / states.size(), two / states.size(),
                    one / states.size());
            assertThat(two).isLessThan(states == first ? one / 2 : one * 9 / 10);
        }
    }

    /** The writer's tables of strings and numbers start empty for each value, also in a serializer that wrote others. */
    @Test
    void aSerializerThatWroteOtherValuesWritesEachAsAFreshOneDoes() throws Exception {
        List<AssetState> states = new ArrayList<>(statesAfter(30_000, 5_000).values());
        AssetStateSerializer reused = new AssetStateSerializer();
        for (int round = 0; round < 2; round++) {
            for (AssetState s : states) {
                assertThat(bytes(reused, s)).isEqualTo(bytes(new AssetStateSerializer(), s));
            }
        }
    }

    @Test
    void edgeCasesRoundTrip() throws Exception {
        assertRoundTrips(new AssetState());

        AssetState s = new AssetState();
        s.twin = new TwinState();
        s.twin.sensors = null;
        s.twin.status = null;
        s.twin.firstSeen = 5L;
        s.twin.lastHistoryTime = 4_000L;
        s.twin.seenSeqs = new long[] {0, -1, Long.MIN_VALUE, 7, 0, 0, 0, 0, 9};
        SensorStats stats = new SensorStats();
        stats.lastValue = -0.0;
        s.scoring = new ScoringState();
        s.scoring.sensors = new String[] {"a", "b", "a", "ünïcødé", null};
        s.scoring.cov = new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
        s.scoring.last = new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
            0, 0, 0, 0, Double.MAX_VALUE};
        s.scoring.repeatRun = new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 300};
        s.scoring.paneEnd = new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0};
        s.alerts = new AssetAlerts();
        s.alerts.currentValues = null;
        Map<String, SensorScore> maintenance = new TreeMap<>();
        maintenance.put("x", new SensorScore(0.5, Detector.SHIFT, 1, 2, 3, -4, null));
        maintenance.put("y", new SensorScore(1, null, Double.NaN, 0, 0, 0, 7.5));
        maintenance.put("z", null);
        s.alerts.maintenance = maintenance;
        s.alerts.anomalySeverity = Alert.Severity.CRITICAL;
        s.alerts.anomalyId = "x";
        Map<String, Double> readings = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) { // more distinct strings than the writer's first table holds
            readings.put("sensor-" + i, i % 3 == 0 ? null : (double) i);
        }
        s.pending.add(new Telemetry(1, null, "asset", "t", "site", -5, 0, readings));
        s.pending.add(new Telemetry(2, "e", "asset", "t", "site", 5, 1, null));
        s.pendingDuplicates.add(3L);
        s.control = new io.twinstream.jobs.command.DeviceControl();
        s.control.changed = true;
        var set = new io.twinstream.jobs.command.DeviceControl.Property();
        set.desired = 250.0;
        set.requestedBy = "ops";
        set.reported = -0.0;
        set.reportedAt = 7;
        set.disagreeingSince = 7;
        set.driftId = "asset/DESIRED_STATE_DRIFT/target/7";
        set.driftStart = 7;
        set.commandAlertId = "asset/COMMAND_FAILED/target/9";
        set.commandAlertStart = 9;
        set.commandAlertFailed = true;
        s.control.properties.put("target", set);
        s.control.properties.put("limit", new io.twinstream.jobs.command.DeviceControl.Property()); // all absent
        var cmd = new io.twinstream.jobs.command.DeviceControl.Tracked();
        cmd.commandId = "asset/target/twin.desired-0@4";
        cmd.name = "set";
        cmd.property = "target";
        cmd.value = 250.0;
        cmd.state = io.twinstream.schemas.CommandStatus.State.ACKED;
        cmd.issuedAt = 4;
        cmd.expiresAt = Long.MAX_VALUE;
        cmd.updatedAt = 5;
        s.control.commands.add(cmd);
        var restart = new io.twinstream.jobs.command.DeviceControl.Property();
        restart.commandAlertId = "asset/COMMAND_EXPIRED/restart/8";
        restart.commandAlertStart = 8;
        s.control.explicit.put("restart", restart);
        s.notes = new io.twinstream.jobs.alert.AlertNotes();
        s.notes.open.put("asset/ANOMALY/1", "{\"alertId\":\"asset/ANOMALY/1\"}");
        var note = new io.twinstream.jobs.alert.AlertNotes.Note();
        note.acknowledged = true;
        note.acknowledgedBy = "alice";
        note.acknowledgedAt = 3;
        note.note = "on it";
        s.notes.notes.put("asset/ANOMALY/1", note);
        s.notes.held.add("asset/OFFLINE/2");
        s.notes.silencedUntil = 99;
        s.notes.silencedBy = "bob";
        s.notes.resolved.add("asset/ANOMALY/0");
        s.newest = 0;
        s.released = Long.MAX_VALUE;
        assertRoundTrips(s);

        // times whose distance from the newest reading overflows, and every other extreme of the time encoding
        s.newest = Long.MAX_VALUE - 1;
        s.timer = Long.MIN_VALUE + 1;
        s.twin.lastSeen = Long.MIN_VALUE + 2;
        s.twin.lastSnapshotTime = -1;
        s.twin.lastHistoryTime = Long.MAX_VALUE - 3;
        s.twin.maxSeq = Long.MIN_VALUE;
        s.twin.eventsAccepted = Long.MAX_VALUE;
        s.pendingDuplicates.add(Long.MAX_VALUE);
        s.pendingDuplicates.add(Long.MIN_VALUE);
        assertRoundTrips(s);
        s.newest = Long.MIN_VALUE + 1;
        s.released = Long.MAX_VALUE - 2;
        assertRoundTrips(s);

        // more distinct numbers than the writer keeps for references, then repeats of early and late ones;
        // NaNs with different bits stay different
        double[] many = new double[700];
        for (int i = 0; i < many.length; i++) {
            many[i] = i < 600 ? 1.5 + i : many[i - 600 + (i % 2 == 0 ? 0 : 500)];
        }
        s.scoring.mean = many;
        s.scoring.shift = new double[] {Double.longBitsToDouble(0x7ff8000000000001L), Double.NaN, 1.5, 0, 650.5, -0.0};
        s.scoring.trendTimeMean = 2.5;
        s.scoring.trendTimeVar = 1_000.5;
        assertRoundTrips(s);

        s.twin.sensors = new HashMap<>(Map.of("a", stats));
        s.twin.status = AssetStatus.OFFLINE;
        assertRoundTrips(s);
    }

    @Test
    void stateThePojoSerializerOrLayoutOneWroteIsMigratedAndItsOwnIsReadAsIs() throws Exception {
        TypeSerializerSnapshot<AssetState> own = SERIALIZER.snapshotConfiguration();
        assertThat(own.resolveSchemaCompatibility(POJO.snapshotConfiguration()).isCompatibleAfterMigration()).isTrue();
        assertThat(own.resolveSchemaCompatibility(new AssetStateSerializer().snapshotConfiguration()).isCompatibleAsIs()).isTrue();

        // as a checkpoint stores it: the snapshot of layout 1, read back, restores a serializer that reads layout 1
        TypeSerializerSnapshot<AssetState> layoutOne = writtenAndReadBack(LAYOUT_1.snapshotConfiguration());
        assertThat(own.resolveSchemaCompatibility(layoutOne).isCompatibleAfterMigration()).isTrue();
        assertThat(writtenAndReadBack(own).restoreSerializer()).isEqualTo(SERIALIZER);
        AssetState s = statesAfter(30_000, 5_000).values().iterator().next();
        // what only layout 3 holds (a model-less asset's surprise and season, runs, a held baseline)
        s.scoring.surprise = new double[] {1.5, 0, -2.25, 1e-300};
        s.scoring.season = new double[] {0.5, 0};
        s.scoring.longestRun = new int[] {7, 0, 3};
        s.scoring.baselineHeld = true;
        s.alerts.rebaselinedThrough = 1_700_000_123_456L;
        assertRoundTrips(s);
        TypeSerializer<AssetState> restored = layoutOne.restoreSerializer();
        assertThat(restored).isEqualTo(LAYOUT_1).isNotEqualTo(SERIALIZER);
        assertThat(bytes(SERIALIZER, restored.deserialize(new DataInputDeserializer(bytes(LAYOUT_1, s)))))
                .isEqualTo(bytes(SERIALIZER, withoutLayoutThreeFields(s)));
        // layout 2 likewise, and what it cannot hold (the scorer's surprise, season, runs) starts empty
        TypeSerializerSnapshot<AssetState> layoutTwo = writtenAndReadBack(LAYOUT_2.snapshotConfiguration());
        assertThat(own.resolveSchemaCompatibility(layoutTwo).isCompatibleAfterMigration()).isTrue();
        AssetState migrated = layoutTwo.restoreSerializer().deserialize(new DataInputDeserializer(bytes(LAYOUT_2, s)));
        assertThat(s.scoring.surprise).isNotNull();
        assertThat(migrated.scoring.surprise).isNull();
        assertThat(bytes(SERIALIZER, migrated)).isEqualTo(bytes(SERIALIZER, withoutLayoutThreeFields(s)));
    }

    static TypeSerializerSnapshot<AssetState> writtenAndReadBack(TypeSerializerSnapshot<AssetState> snapshot)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                AssetStateSerializerTest.class.getClassLoader());
    }

    /** The state as a layout older than 3 holds it: without the scorer's surprise, season and runs. */
    static AssetState withoutLayoutThreeFields(AssetState s) {
        AssetState copy = SERIALIZER.copy(s);
        if (copy.scoring != null) {
            copy.scoring.surprise = null;
            copy.scoring.season = null;
            copy.scoring.longestRun = null;
            copy.scoring.baselineHeld = false;
        }
        if (copy.alerts != null) {
            copy.alerts.rebaselinedThrough = Long.MIN_VALUE;
        }
        copy.control = null; // layout 5
        copy.notes = null;
        if (copy.twin != null) {
            copy.twin.lastHistoryTime = Long.MIN_VALUE; // layout 6
            copy.twin.energy = null;
        }
        return copy;
    }

    /** Exactly, in every layout (the older ones without what they cannot hold). */
    static void assertRoundTrips(AssetState s) throws Exception {
        for (AssetStateSerializer serializer : List.of(SERIALIZER, LAYOUT_2, LAYOUT_1)) {
            AssetState expected = serializer == SERIALIZER ? s : withoutLayoutThreeFields(s);
            byte[] bytes = bytes(serializer, s);
            AssetState back = serializer.deserialize(new DataInputDeserializer(bytes));
            assertThat(back).usingRecursiveComparison().withEqualsForType(Double::equals, Double.class)
                    .isEqualTo(expected);
            // bit for bit: the recursive comparison calls -0.0 and 0.0, or two NaNs, equal
            assertThat(bytes(POJO, back)).isEqualTo(bytes(POJO, expected));
            assertThat(bytes(serializer, back)).isEqualTo(bytes);
            assertThat(bytes(serializer, serializer.copy(s))).isEqualTo(bytes);
        }
    }

    static byte[] bytes(TypeSerializer<AssetState> serializer, AssetState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    /**
     * Each asset's state after the twin operator took in {@code durationMs} of a generated fleet, holding readings back
     * for {@code orderingBoundMs} (0: applied on arrival).
     */
    static Map<String, AssetState> statesAfter(long durationMs, long orderingBoundMs) throws Exception {
        GeneratorConfig config = GeneratorConfig.defaults().copy().seed(17).assets(12).sites(2).startMs(1_700_000_000_000L)
                .durationMs(durationMs).ratePerSecond(0).faultsPerAssetHour(12).faultWarmupMs(60_000).build();
        List<Telemetry> readings = new ArrayList<>();
        new FleetGenerator(config, AssetModels.builtIn()).run(new RecordSink() {
            @Override
            public void send(GeneratedRecord r) {
                if (r.reading() != null) {
                    readings.add(r.reading());
                }
            }

            @Override
            public void flush() {}
        });
        try (TwinHarness harness =
                DigitalTwinFunctionTest.newHarness(orderingBoundMs)) {
            harness.open();
            long offset = 0;
            for (Telemetry t : readings) {
                harness.processElement(Ingested.valid(t, "telemetry.raw", 0, offset++), t.timestamp());
            }
            KeyedStateBackend<String> backend = ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
            ValueState<AssetState> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    DigitalTwinFunction.stateDescriptor(DigitalTwinFunctionTest.TWIN.stateTtlMs()));
            Map<String, AssetState> states = new TreeMap<>();
            for (String asset : new TreeSet<>(readings.stream().map(Telemetry::assetId).toList())) {
                backend.setCurrentKey(asset);
                states.put(asset, state.value());
            }
            return states;
        }
    }
}
