package io.twinstream.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each asset's windows end at its own phase within the slide, so that a fleet's windows do not close at once. */
class WindowStaggerTest {
    static final ScoringSettings STAGGERED = ScoringSettings.from(PipelineConfig.defaults());
    static final ScoringSettings ALIGNED = ScoringSettings.from(PipelineConfig.defaults().with(Key.WINDOW_STAGGER, "false"));

    /** One pump's scores over two minutes of readings every second. */
    static List<AnomalyScore> scores(ScoringSettings settings, String assetId) {
        Scoring scoring = new Scoring(AssetModels.builtIn(), settings);
        SplittableRandom r = new SplittableRandom(3);
        ScoringState state = null;
        List<AnomalyScore> out = new ArrayList<>();
        for (long s = 1; s <= 120; s++) {
            Telemetry t = new Telemetry(1, assetId + ":" + s, assetId, AssetModels.INDUSTRIAL_PUMP, "site-a", 1_763_884_800_000L + s * 1000, s,
                    Map.of("flow_m3h", 220 + r.nextGaussian(), "discharge_pressure_bar", 8.4 + 0.08 * r.nextGaussian(),
                            "motor_current_a", 73 + 0.4 * r.nextGaussian(), "bearing_temp_c", 55 + 0.15 * r.nextGaussian(),
                            "vibration_mm_s", 2.5 + 0.1 * r.nextGaussian()));
            if (state == null) {
                state = scoring.newState(t);
            }
            scoring.score(state, t);
            scoring.closeUpTo(assetId, state, t.timestamp(), out::add);
        }
        return out;
    }

    @Test
    void anAssetsWindowsKeepTheirSizeAndSlideAndEndAtItsPhase() {
        String asset = "pump-00042";
        long phase = STAGGERED.windowPhase(asset);
        assertThat(phase).isBetween(0L, 4_999L);
        List<AnomalyScore> scores = scores(STAGGERED, asset);
        assertThat(scores).hasSizeGreaterThan(20);
        assertThat(scores).allMatch(s -> s.windowEnd() - s.windowStart() == 10_000);
        assertThat(scores).allMatch(s -> Math.floorMod(s.windowEnd() - phase, 5_000) == 0);
        assertThat(scores).extracting(AnomalyScore::windowEnd).isSorted().doesNotHaveDuplicates();
        for (int i = 1; i < scores.size(); i++) {
            assertThat(scores.get(i).windowEnd() - scores.get(i - 1).windowEnd()).isEqualTo(5_000);
        }
    }

    @Test
    void withoutStaggeringEveryWindowEndsAtAMultipleOfTheSlide() {
        assertThat(ALIGNED.windowPhase("pump-00042")).isZero();
        assertThat(scores(ALIGNED, "pump-00042")).allMatch(s -> s.windowEnd() % 5_000 == 0);
    }

    @Test
    void aFleetsPhasesSpreadOverTheWholeSlide() {
        // 10,000 ids of the generator's shape, in ten 500 ms buckets of the slide: each bucket holds about a tenth
        Map<Long, Long> perBucket = IntStream.range(0, 10_000)
                .mapToObj(i -> String.format("wt-%05d", i))
                .collect(Collectors.groupingBy(id -> STAGGERED.windowPhase(id) / 500, Collectors.counting()));
        assertThat(perBucket.keySet()).isEqualTo(Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L));
        assertThat(perBucket.values()).allMatch(n -> n > 800 && n < 1_200);
    }

    @Test
    void thePhaseDependsOnlyOnTheAssetId() {
        assertThat(STAGGERED.windowPhase("pump-00042")).isEqualTo(
                ScoringSettings.from(PipelineConfig.defaults()).windowPhase(new String("pump-00042".toCharArray())));
    }
}
