package io.twinstream.jobs.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pumps report every 1 s: STALE after 3 s of silence, OFFLINE after 10 s. */
class TwinStateFunctionTest {
    static final TwinSettings SETTINGS = new TwinSettings(15_000, 3, 10, 128, 3_600_000, 5_000, 60_000);
    static final String PUMP = "pump-1";

    KeyedOneInputStreamOperatorTestHarness<String, Ingested, TwinSnapshot> harness;

    static KeyedOneInputStreamOperatorTestHarness<String, Ingested, TwinSnapshot> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TwinStateFunction(AssetModels.builtIn(), SETTINGS)),
                new TwinPipeline.ByAssetId(), Types.STRING);
    }

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static Ingested reading(String asset, long seq, long ts, double flow) {
        Telemetry t = new Telemetry(1, asset + ":" + seq, asset, AssetModels.INDUSTRIAL_PUMP, "site-a", ts, seq,
                Map.of("flow_m3h", flow, "bearing_temp_c", 50.0));
        return Ingested.valid(t, "telemetry.raw", 0, seq);
    }

    void send(Ingested in) throws Exception {
        harness.processElement(in, in.telemetry().timestamp());
    }

    List<TwinSnapshot> snapshots() {
        return harness.extractOutputValues();
    }

    TwinSnapshot last() {
        List<TwinSnapshot> s = snapshots();
        return s.get(s.size() - 1);
    }

    List<DeadLetter> deadLetters() {
        var queue = harness.getSideOutput(TwinStateFunction.DEAD_LETTERS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void duplicatesAreDroppedAndDoNotChangeTheTwin() throws Exception {
        send(reading(PUMP, 1, 1_000, 100));
        send(reading(PUMP, 2, 2_000, 110));
        send(reading(PUMP, 2, 2_000, 110));
        send(reading(PUMP, 1, 1_000, 100));
        send(reading(PUMP, 3, 3_000, 120));
        harness.processWatermark(Long.MAX_VALUE);

        TwinSnapshot s = last();
        assertThat(s.reason()).isEqualTo(SnapshotReason.FINAL);
        assertThat(s.eventsAccepted()).isEqualTo(3);
        assertThat(s.duplicatesDropped()).isEqualTo(2);
        assertThat(s.sensors().get("flow_m3h").count()).isEqualTo(3);
        assertThat(s.sensors().get("flow_m3h").mean()).isEqualTo(110.0);
        assertThat(s.sensors().get("flow_m3h").lastValue()).isEqualTo(120.0);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void outOfOrderWithinLatenessCountsButDoesNotOverwriteTheNewestValue() throws Exception {
        send(reading(PUMP, 1, 1_000, 100));
        send(reading(PUMP, 3, 3_000, 130));
        send(reading(PUMP, 2, 2_000, 120));
        harness.processWatermark(Long.MAX_VALUE);
        TwinSnapshot s = last();
        assertThat(s.eventsAccepted()).isEqualTo(3);
        assertThat(s.sensors().get("flow_m3h").lastValue()).isEqualTo(130.0);
        assertThat(s.sensors().get("flow_m3h").lastTimestamp()).isEqualTo(3_000);
        assertThat(s.lastSeq()).isEqualTo(3);
    }

    @Test
    void readingsLaterThanTheAllowedLatenessGoToTheDeadLetters() throws Exception {
        send(reading(PUMP, 20, 20_000, 100));
        send(reading(PUMP, 5, 5_000, 999));   // 15 s older: still allowed
        send(reading(PUMP, 4, 4_999, 999));   // 15.001 s older: late
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reasonCode()).isEqualTo(RejectReason.LATE);
        assertThat(dead.get(0).sourceOffset()).isEqualTo(4);
        assertThat(dead.get(0).payload()).contains("\"seq\":4");
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(last().eventsAccepted()).isEqualTo(2);
    }

    @Test
    void silenceMakesTheTwinStaleThenOfflineAndAReadingBringsItBack() throws Exception {
        for (int i = 1; i <= 10; i++) {
            send(reading(PUMP, i, i * 1_000L, 100));
        }
        harness.processWatermark(12_999);
        assertThat(snapshots()).noneMatch(s -> s.status() != AssetStatus.ONLINE);
        harness.processWatermark(13_000);
        assertThat(last().status()).isEqualTo(AssetStatus.STALE);
        assertThat(last().reason()).isEqualTo(SnapshotReason.STATUS);
        assertThat(last().snapshotTime()).isEqualTo(13_000);
        harness.processWatermark(20_000);
        assertThat(last().status()).isEqualTo(AssetStatus.OFFLINE);
        assertThat(last().snapshotTime()).isEqualTo(20_000);
        int emitted = snapshots().size();
        harness.processWatermark(500_000);
        assertThat(snapshots()).as("no periodic snapshots while offline").hasSize(emitted);
        send(reading(PUMP, 11, 500_500, 100));
        assertThat(last().status()).isEqualTo(AssetStatus.ONLINE);
        assertThat(last().reason()).isEqualTo(SnapshotReason.STATUS);
    }

    @Test
    void changeSnapshotsAreRateLimitedAndFlushedByTimer() throws Exception {
        for (int i = 1; i <= 4; i++) {
            send(reading(PUMP, i, i * 1_000L, 100 + i));
        }
        assertThat(snapshots()).hasSize(1);
        assertThat(snapshots().get(0).eventsAccepted()).isEqualTo(1);
        harness.processWatermark(5_999);
        assertThat(snapshots()).hasSize(1);
        harness.processWatermark(6_000);
        assertThat(snapshots()).hasSize(2);
        assertThat(last().reason()).isEqualTo(SnapshotReason.CHANGE);
        assertThat(last().eventsAccepted()).isEqualTo(4);
        assertThat(last().sensors().get("flow_m3h").lastValue()).isEqualTo(104.0);
    }

    @Test
    void periodicSnapshotsWithoutChange() throws Exception {
        // a reading every second keeps it online; snapshots come every 5 s of change
        for (int i = 1; i <= 130; i++) {
            send(reading(PUMP, i, i * 1_000L, 100));
        }
        assertThat(snapshots()).allMatch(s -> s.reason() == SnapshotReason.CHANGE);
        assertThat(snapshots().size()).isBetween(25, 27);
    }

    @Test
    void endOfInputFlushesWithoutDeclaringAnyoneOffline() throws Exception {
        send(reading(PUMP, 1, 1_000, 100));
        send(reading(PUMP, 2, 2_000, 200));
        send(reading("pump-2", 1, 2_000, 300));
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(snapshots()).allMatch(s -> s.status() == AssetStatus.ONLINE);
        assertThat(snapshots()).filteredOn(s -> s.reason() == SnapshotReason.FINAL)
                .extracting(TwinSnapshot::assetId).containsExactly(PUMP);
    }

    @Test
    void outOfRangeReadingsAreFlagged() throws Exception {
        Telemetry hot = new Telemetry(1, "p:1", PUMP, AssetModels.INDUSTRIAL_PUMP, "site-a", 1_000, 1,
                Map.of("bearing_temp_c", 140.0, "flow_m3h", 100.0));
        send(Ingested.valid(hot, "t", 0, 0));
        TwinSnapshot s = last();
        assertThat(s.outOfRangeSensors()).isEqualTo(1);
        assertThat(s.sensors().get("bearing_temp_c").outOfRange()).isTrue();
        assertThat(s.sensors().get("flow_m3h").outOfRange()).isFalse();
    }

    @Test
    void restoredStateStillDeduplicatesAndKeepsItsTimers() throws Exception {
        for (int i = 1; i <= 5; i++) {
            send(reading(PUMP, i, i * 1_000L, 100));
        }
        OperatorSubtaskState checkpoint = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(checkpoint);
        harness.open();
        send(reading(PUMP, 3, 3_000, 100));   // replayed after restore: a duplicate
        send(reading(PUMP, 6, 6_000, 100));
        harness.processWatermark(9_000);     // 3 s after the last reading
        assertThat(last().status()).isEqualTo(AssetStatus.STALE);
        assertThat(last().eventsAccepted()).isEqualTo(6);
        assertThat(last().duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void aDeviceThatRestartsItsCounterIsNotRejected() throws Exception {
        for (int i = 200; i <= 400; i++) {
            send(reading(PUMP, i, i * 1_000L, 100));
        }
        send(reading(PUMP, 1, 401_000, 100));
        send(reading(PUMP, 250, 250_000, 100)); // old event time and far below the window: rejected
        assertThat(deadLetters()).extracting(DeadLetter::reasonCode).containsExactly(RejectReason.LATE);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(last().eventsAccepted()).isEqualTo(202);
        assertThat(last().lastSeq()).isEqualTo(1);
    }
}
