package io.twinstream.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.Telemetry;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Windows of 10 s sliding by 5 s, closed 5 s after their end by the asset's own clock; aligned to multiples of the
 * slide here (window staggering off), so that the expected window ends are plain numbers.
 */
class AnomalyScoringFunctionTest {
    static final ScoringSettings SETTINGS = ScoringSettings.from(
            PipelineConfig.defaults().with(PipelineConfig.Key.WINDOW_STAGGER, "false"));
    static final String PUMP = "pump-1";

    static KeyedOneInputStreamOperatorTestHarness<String, Telemetry, AnomalyScore> harness(boolean samples)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AnomalyScoringFunction(AssetModels.builtIn(), SETTINGS, samples)),
                new TwinPipeline.ByReadingAsset(), Types.STRING);
        h.open();
        return h;
    }

    /** A running pump with correlated sensors and noise, one reading per second. */
    static Telemetry pump(long second, SplittableRandom r, double vibrationOffset) {
        double flow = 220 + 5 * Math.sin(second / 60.0) + r.nextGaussian();
        return new Telemetry(1, PUMP + ":" + second, PUMP, AssetModels.INDUSTRIAL_PUMP, "site-a", second * 1000, second,
                Map.of("flow_m3h", flow,
                        "discharge_pressure_bar", 0.4 + 8 + 0.01 * (flow - 220) + 0.08 * r.nextGaussian(),
                        "motor_current_a", 60 + 0.06 * flow + 0.4 * r.nextGaussian(),
                        "bearing_temp_c", 55 + 0.15 * r.nextGaussian(),
                        "vibration_mm_s", 2.5 + 0.1 * r.nextGaussian() + vibrationOffset));
    }

    @Test
    void windowsCloseOnTheAssetsOwnClockAndExplainASpike() throws Exception {
        var h = harness(false);
        SplittableRandom r = new SplittableRandom(1);
        for (long s = 1; s <= 600; s++) {
            Telemetry t = pump(s, r, s == 500 ? 9 : 0);
            h.processElement(new StreamRecord<>(t, t.timestamp()));
        }
        List<AnomalyScore> scores = h.extractOutputValues();
        // windows end every 5 s; the last ones (within 5 s of the newest reading) are still open
        assertThat(scores).extracting(AnomalyScore::windowEnd).isSorted().doesNotHaveDuplicates();
        assertThat(scores.get(scores.size() - 1).windowEnd()).isEqualTo(595_000);
        assertThat(scores).allMatch(s -> s.windowEnd() - s.windowStart() == 10_000);
        List<AnomalyScore> withSpike = scores.stream().filter(s -> s.windowStart() < 500_000 && s.windowEnd() >= 500_000)
                .toList();
        assertThat(withSpike).hasSize(2).allSatisfy(s -> {
            assertThat(s.score()).isGreaterThanOrEqualTo(0.9);
            assertThat(s.sensor()).isEqualTo("vibration_mm_s");
            assertThat(s.detector()).isEqualTo(Detector.RESIDUAL);
            assertThat(s.observed()).isGreaterThan(11);
            assertThat(s.expected()).isBetween(2.0, 3.0);
        });
        assertThat(scores.stream().filter(s -> s.windowStart() > 200_000 && s.windowEnd() < 495_000))
                .allMatch(s -> s.score() < 0.5);
        h.close();
    }

    @Test
    void theWatermarkClosesTheLastWindowsOfASilentAsset() throws Exception {
        var h = harness(false);
        SplittableRandom r = new SplittableRandom(2);
        for (long s = 1; s <= 30; s++) {
            Telemetry t = pump(s, r, 0);
            h.processElement(new StreamRecord<>(t, t.timestamp()));
        }
        int before = h.extractOutputValues().size();
        h.processWatermark(40_000);
        List<AnomalyScore> all = h.extractOutputValues();
        assertThat(all.size()).isGreaterThan(before);
        assertThat(all.get(all.size() - 1).windowEnd()).isEqualTo(35_000);
        h.close();
    }

    @Test
    void everyReadingGetsItsOwnScoreWhenAskedAndStateSurvivesARestore() throws Exception {
        var h = harness(true);
        SplittableRandom r = new SplittableRandom(3);
        for (long s = 1; s <= 300; s++) {
            Telemetry t = pump(s, r, 0);
            h.processElement(new StreamRecord<>(t, t.timestamp()));
        }
        assertThat(h.getSideOutput(AnomalyScoringFunction.SAMPLE_SCORES)).hasSize(300);
        OperatorSubtaskState checkpoint = h.snapshot(1, 1);
        h.close();

        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AnomalyScoringFunction(AssetModels.builtIn(), SETTINGS, true)),
                new TwinPipeline.ByReadingAsset(), Types.STRING);
        restored.initializeState(checkpoint);
        restored.open();
        // the learned baseline came along: a spike right after the restore scores at once
        Telemetry spike = pump(301, r, 9);
        restored.processElement(new StreamRecord<>(spike, spike.timestamp()));
        SampleScore s = restored.getSideOutput(AnomalyScoringFunction.SAMPLE_SCORES).peek().getValue();
        assertThat(s.seq()).isEqualTo(301);
        assertThat(s.score()).isGreaterThanOrEqualTo(0.9);
        restored.close();
    }
}
