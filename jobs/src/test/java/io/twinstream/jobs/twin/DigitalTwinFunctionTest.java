package io.twinstream.jobs.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.Ingested;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SnapshotReason;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pumps report every 1 s: STALE after 3 s of silence, OFFLINE after 10 s. */
class DigitalTwinFunctionTest {
    static final TwinSettings TWIN = new TwinSettings(15_000, 3, 10, 128, 3_600_000, 5_000, 60_000);
    static final ScoringSettings SCORING = ScoringSettings.from(PipelineConfig.defaults());
    static final AlertSettings ALERTING = new AlertSettings(0.5, 2, 0.2, 3, 0.9, 7_200_000L);
    static final String PUMP = "pump-1";

    TwinHarness harness;

    static TwinHarness newHarness(long bound)
            throws Exception {
        return harnessOf(new DigitalTwinFunction(AssetModels.builtIn(), TWIN, SCORING, ALERTING, bound));
    }

    /** The function in the operator the pipeline runs it in. */
    static TwinHarness harnessOf(DigitalTwinFunction f)
            throws Exception {
        return TwinHarness.of(new DigitalTwinOperator(f));
    }

    /** Readings applied as they arrive (no reordering). */
    void open() throws Exception {
        harness = newHarness(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
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

    static <T> List<T> side(TwinHarness h, OutputTag<T> tag) {
        var queue = h.getSideOutput(tag);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void anAssetNotUpdatedForTheStateTtlIsDroppedFromState() throws Exception {
        open();
        harness.setStateTtlProcessingTime(0);
        send(reading(PUMP, 1, 1_000, 100));
        send(reading(PUMP, 2, 2_000, 110));
        assertThat(snapshots()).isNotEmpty();

        harness.setStateTtlProcessingTime(TWIN.stateTtlMs() + 1);
        // its pending liveness timer finds nothing and does nothing
        int before = snapshots().size();
        harness.processWatermark(20_000);
        assertThat(snapshots()).hasSize(before);
        assertThat(side(harness, DigitalTwinFunction.ALERTS)).isEmpty();

        // a reading after that starts a new twin (kept, it would be the third reading, back from OFFLINE)
        send(reading(PUMP, 3, 21_000, 120));
        assertThat(last().eventsAccepted()).isEqualTo(1);
        assertThat(last().firstSeen()).isEqualTo(21_000L);
    }

    @Test
    void theHistoryKeepsStatusChangesAndAtMostOneOtherSnapshotPerIntervalOrEverySnapshotAtZero() throws Exception {
        for (long interval : new long[] {0, 30_000}) {
            harness = harnessOf(new DigitalTwinFunction(AssetModels.builtIn(), TWIN.withHistory(interval), SCORING,
                    ALERTING, 0));
            harness.open();
            for (int i = 1; i <= 120; i++) {
                send(reading(PUMP, i, i * 1_000L, 100 + i % 7)); // a change every second: a snapshot every 5 s
            }
            harness.processWatermark(200_000); // silent: STALE, then OFFLINE
            List<TwinSnapshot> all = snapshots();
            List<TwinSnapshot> history = side(harness, DigitalTwinFunction.HISTORY);
            if (interval == 0) {
                assertThat(history).isEqualTo(all);
            } else {
                assertThat(history.size()).isLessThan(all.size() / 3);
                assertThat(history).containsAll(all.stream().filter(s -> s.reason() == SnapshotReason.STATUS).toList());
                for (int k = 1; k < history.size(); k++) {
                    if (history.get(k).reason() == SnapshotReason.CHANGE || history.get(k).reason() == SnapshotReason.PERIODIC) {
                        assertThat(history.get(k).snapshotTime() - history.get(k - 1).snapshotTime())
                                .isGreaterThanOrEqualTo(interval);
                    }
                }
            }
            harness.close();
        }
        harness = null;
    }

    @Test
    void withoutAHistorySinkTheTwinPicksNoHistory() throws Exception {
        open();
        send(reading(PUMP, 1, 1_000, 100));
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(snapshots()).isNotEmpty();
        assertThat(side(harness, DigitalTwinFunction.HISTORY)).isEmpty();
    }

    @Test
    void duplicatesAreDroppedAndDoNotChangeTheTwin() throws Exception {
        open();
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
        assertThat(side(harness, DigitalTwinFunction.DEAD_LETTERS)).isEmpty();
    }

    @Test
    void outOfOrderWithinLatenessCountsButDoesNotOverwriteTheNewestValue() throws Exception {
        open();
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
        open();
        send(reading(PUMP, 20, 20_000, 100));
        send(reading(PUMP, 5, 5_000, 999));   // 15 s older: still allowed
        send(reading(PUMP, 4, 4_999, 999));   // 15.001 s older: late
        List<DeadLetter> dead = side(harness, DigitalTwinFunction.DEAD_LETTERS);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reasonCode()).isEqualTo(RejectReason.LATE);
        assertThat(dead.get(0).sourceOffset()).isEqualTo(4);
        assertThat(dead.get(0).payload()).contains("\"seq\":4");
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(last().eventsAccepted()).isEqualTo(2);
    }

    /** Counts wake-ups by timer. */
    static final class CountingWakeUps extends DigitalTwinFunction {
        int wakeUps;

        CountingWakeUps() {
            super(AssetModels.builtIn(), TWIN, SCORING, ALERTING, 0);
        }

        @Override
        public void onTimer(long time, OnTimerContext ctx, Collector<TwinSnapshot> out) throws Exception {
            wakeUps++;
            super.onTimer(time, ctx, out);
        }
    }

    @Test
    void whileReadingsRunTheAgendaTheAssetKeepsOneTimerAndNoTimerWakesItForNothing() throws Exception {
        CountingWakeUps function = new CountingWakeUps();
        harness = harnessOf(function);
        harness.open();
        // each reading runs the agenda (snapshot flushes, window closings, liveness) up to its own time before the
        // watermark gets there, so every timer it had would only find nothing to do
        for (int i = 1; i <= 60; i++) {
            send(reading(PUMP, i, i * 1_000L, 100 + i % 7));
            harness.processWatermark(i * 1_000L - 1);
            assertThat(((DigitalTwinOperator) harness.getOperator()).scheduledWakeUps()).as("timers after reading %d", i)
                    .isEqualTo(1);
        }
        assertThat(function.wakeUps).isZero();
        assertThat(side(harness, DigitalTwinFunction.SCORES)).as("windows closed by the readings").isNotEmpty();

        // when the readings stop, the one timer still wakes it
        harness.processWatermark(62_999);
        assertThat(last().status()).isEqualTo(AssetStatus.ONLINE);
        harness.processWatermark(63_000);
        assertThat(last().status()).isEqualTo(AssetStatus.STALE);
        assertThat(last().snapshotTime()).isEqualTo(63_000);
        assertThat(function.wakeUps).isPositive();
    }

    @Test
    void silenceMakesTheTwinStaleThenOfflineWithAnAlertAndAReadingBringsItBack() throws Exception {
        open();
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
        assertThat(last().openAlerts()).isEqualTo(1);
        int emitted = snapshots().size();
        harness.processWatermark(500_000);
        assertThat(snapshots()).as("no periodic snapshots while offline").hasSize(emitted);
        send(reading(PUMP, 11, 500_500, 100));
        assertThat(last().status()).isEqualTo(AssetStatus.ONLINE);
        assertThat(last().reason()).isEqualTo(SnapshotReason.STATUS);
        List<Alert> alerts = side(harness, DigitalTwinFunction.ALERTS);
        assertThat(alerts).extracting(Alert::kind, Alert::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Alert.AlertKind.OFFLINE, Alert.AlertState.OPENED),
                org.assertj.core.groups.Tuple.tuple(Alert.AlertKind.OFFLINE, Alert.AlertState.RESOLVED));
        assertThat(alerts.get(0).alertId()).isEqualTo(PUMP + "/OFFLINE/10000");
        assertThat(alerts.get(0).currentValues()).containsEntry("flow_m3h", 100.0);
    }

    @Test
    void changeSnapshotsAreRateLimitedAndFlushedWhenEventTimeMoves() throws Exception {
        open();
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
    void aSteadyAssetGetsAChangeSnapshotEveryMinInterval() throws Exception {
        open();
        for (int i = 1; i <= 130; i++) {
            send(reading(PUMP, i, i * 1_000L, 100));
        }
        assertThat(snapshots()).allMatch(s -> s.reason() == SnapshotReason.CHANGE);
        assertThat(snapshots().size()).isBetween(25, 27);
    }

    @Test
    void endOfInputFlushesWithoutDeclaringAnyoneOffline() throws Exception {
        open();
        send(reading(PUMP, 1, 1_000, 100));
        send(reading(PUMP, 2, 2_000, 200));
        send(reading("pump-2", 1, 2_000, 300));
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(snapshots()).allMatch(s -> s.status() == AssetStatus.ONLINE);
        assertThat(snapshots()).filteredOn(s -> s.reason() == SnapshotReason.FINAL)
                .extracting(TwinSnapshot::assetId).containsExactly(PUMP);
        assertThat(side(harness, DigitalTwinFunction.ALERTS)).isEmpty();
    }

    @Test
    void outOfRangeReadingsAreFlagged() throws Exception {
        open();
        Telemetry hot = new Telemetry(1, "p:1", PUMP, AssetModels.INDUSTRIAL_PUMP, "site-a", 1_000, 1,
                Map.of("bearing_temp_c", 140.0, "flow_m3h", 100.0));
        send(Ingested.valid(hot, "t", 0, 0));
        TwinSnapshot s = last();
        assertThat(s.outOfRangeSensors()).isEqualTo(1);
        assertThat(s.sensors().get("bearing_temp_c").outOfRange()).isTrue();
        assertThat(s.sensors().get("flow_m3h").outOfRange()).isFalse();
    }

    @Test
    void aDeviceThatRestartsItsCounterIsNotRejected() throws Exception {
        open();
        for (int i = 200; i <= 400; i++) {
            send(reading(PUMP, i, i * 1_000L, 100));
        }
        send(reading(PUMP, 1, 401_000, 100));
        send(reading(PUMP, 250, 250_000, 100)); // old event time and far below the window: rejected
        assertThat(side(harness, DigitalTwinFunction.DEAD_LETTERS)).extracting(DeadLetter::reasonCode)
                .containsExactly(RejectReason.LATE);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(last().eventsAccepted()).isEqualTo(202);
        assertThat(last().lastSeq()).isEqualTo(400);
    }

    // ---- event-time order: the output depends on the input alone ----

    /** 20 minutes of a running pump with correlated sensors; a vibration spike at 15:00; silent 10:00-11:00. */
    static List<Ingested> pumpStream(String asset) {
        SplittableRandom r = new SplittableRandom(4);
        List<Ingested> out = new ArrayList<>();
        for (long s = 1; s <= 1_200; s++) {
            double flow = 220 + 5 * Math.sin(s / 60.0) + r.nextGaussian();
            double vibration = 2.5 + 0.1 * r.nextGaussian() + (s == 900 ? 9 : 0);
            Telemetry t = new Telemetry(1, asset + ":" + s, asset, AssetModels.INDUSTRIAL_PUMP, "site-a", s * 1_000, s,
                    Map.of("flow_m3h", flow,
                            "discharge_pressure_bar", 8.4 + 0.01 * (flow - 220) + 0.08 * r.nextGaussian(),
                            "motor_current_a", 60 + 0.06 * flow + 0.4 * r.nextGaussian(),
                            "bearing_temp_c", 55 + 0.15 * r.nextGaussian(),
                            "vibration_mm_s", vibration));
            if (s < 600 || s >= 660) {
                out.add(Ingested.valid(t, "telemetry.raw", 0, s));
            }
        }
        return out;
    }

    record Outputs(List<TwinSnapshot> snapshots, List<AnomalyScore> scores, List<Alert> alerts) {}

    static Outputs outputsOf(TwinHarness h) {
        return new Outputs(h.extractOutputValues(), side(h, DigitalTwinFunction.SCORES), side(h, DigitalTwinFunction.ALERTS));
    }

    /** Sends a stream with a watermark trailing the newest event time by 5 s, every {@code every} readings. */
    static void feed(TwinHarness h, List<Ingested> in,
            int every) throws Exception {
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < in.size(); i++) {
            Ingested r = in.get(i);
            h.processElement(r, r.telemetry().timestamp());
            newest = Math.max(newest, r.telemetry().timestamp());
            if (i % every == every - 1) {
                h.processWatermark(newest - 5_001);
            }
        }
    }

    @Test
    void readingsShuffledWithinTheBoundGiveExactlyTheSameOutput() throws Exception {
        List<Ingested> ordered = pumpStream(PUMP);
        List<Ingested> shuffled = new ArrayList<>(ordered);
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i + 2 < shuffled.size(); i += 3) {
            long apart = shuffled.get(i + 2).telemetry().timestamp() - shuffled.get(i).telemetry().timestamp();
            if (r.nextBoolean() && apart <= 2_000) {
                java.util.Collections.swap(shuffled, i, i + 2); // 2 s out of order, within the 5 s bound
            }
        }
        var a = newHarness(5_000);
        a.open();
        feed(a, ordered, 7);
        a.processWatermark(Long.MAX_VALUE);
        var b = newHarness(5_000);
        b.open();
        feed(b, shuffled, 3);
        b.processWatermark(Long.MAX_VALUE);

        Outputs inOrder = outputsOf(a);
        Outputs disordered = outputsOf(b);
        assertThat(inOrder.alerts()).extracting(Alert::kind).contains(Alert.AlertKind.ANOMALY, Alert.AlertKind.OFFLINE);
        assertThat(disordered.snapshots()).isEqualTo(inOrder.snapshots());
        assertThat(disordered.scores()).isEqualTo(inOrder.scores());
        assertThat(disordered.alerts()).isEqualTo(inOrder.alerts());
        a.close();
        b.close();
    }

    @Test
    void restoringFromACheckpointMidStreamGivesExactlyTheUninterruptedOutput() throws Exception {
        List<Ingested> stream = pumpStream(PUMP);
        var whole = newHarness(5_000);
        whole.open();
        feed(whole, stream, 10);
        whole.processWatermark(Long.MAX_VALUE);
        Outputs expected = outputsOf(whole);
        whole.close();

        int cut = 905; // just after the spike: an alert is open in the checkpoint
        var first = newHarness(5_000);
        first.open();
        feed(first, stream.subList(0, cut), 10);
        OperatorSubtaskState checkpoint = first.snapshot(1, 1);
        Outputs before = outputsOf(first);
        first.close();

        var second = newHarness(5_000);
        second.initializeState(checkpoint);
        second.open();
        // after a restore the watermark starts again from nothing and the source replays from the checkpoint
        feed(second, stream.subList(cut, stream.size()), 4);
        second.processWatermark(Long.MAX_VALUE);
        Outputs after = outputsOf(second);
        second.close();

        assertThat(concat(before.snapshots(), after.snapshots())).isEqualTo(expected.snapshots());
        assertThat(concat(before.scores(), after.scores())).isEqualTo(expected.scores());
        assertThat(concat(before.alerts(), after.alerts())).isEqualTo(expected.alerts());
        assertThat(expected.alerts()).filteredOn(a -> a.state() == Alert.AlertState.OPENED).hasSize(2);
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
