package io.twinstream.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SensorRemapTest {
    final AssetScorer scorer = new AssetScorer(ScoringSettings.from(PipelineConfig.defaults()));

    ScoringState learned(String... sensors) {
        ScoringState s = scorer.newState(sensors);
        SplittableRandom r = new SplittableRandom(3);
        double[] nan = new double[sensors.length];
        java.util.Arrays.fill(nan, Double.NaN);
        for (int i = 0; i < 3_000; i++) {
            double[] v = new double[sensors.length];
            for (int j = 0; j < v.length; j++) {
                v[j] = 10 * (j + 1) + r.nextGaussian();
            }
            scorer.score(s, 1_000_000L + i * 60_000L, v, nan, nan);
        }
        return s;
    }

    @Test
    void aRemovedSensorTakesItsNumbersAlongAndTheOthersKeepTheirs() {
        ScoringState s = learned("a", "b", "c");
        ScoringState before = learned("a", "b", "c");
        SensorRemap.remap(s, new String[] {"c", "a"});
        assertThat(s.sensors).containsExactly("c", "a");
        assertThat(s.samples).as("nothing added: no new warm-up").isEqualTo(before.samples);
        assertThat(s.mean).containsExactly(before.mean[2], before.mean[0]);
        assertThat(s.cov).containsExactly(before.cov[2 * 3 + 2], before.cov[2 * 3], before.cov[2], before.cov[0]);
        int stride = Surprise.STRIDE;
        assertThat(java.util.Arrays.copyOfRange(s.surprise, 0, stride))
                .containsExactly(java.util.Arrays.copyOfRange(before.surprise, 2 * stride, 3 * stride));
        assertThat(java.util.Arrays.copyOfRange(s.season, Seasonality.STRIDE, 2 * Seasonality.STRIDE))
                .containsExactly(java.util.Arrays.copyOfRange(before.season, 0, Seasonality.STRIDE));
        assertThat(s.paneScore).hasSize(s.paneEnd.length * 2);
    }

    @Test
    void anAddedSensorStartsFreshAndRestartsTheWarmUp() {
        ScoringState s = learned("a", "b");
        ScoringState before = learned("a", "b");
        SensorRemap.remap(s, new String[] {"a", "b", "new"});
        assertThat(s.samples).isZero();
        assertThat(s.mean[0]).isEqualTo(before.mean[0]);
        assertThat(s.last[2]).isNaN();
        assertThat(s.seenMin[2]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.longestRun[1]).isEqualTo(before.longestRun[1]);
        assertThat(SensorRemap.same(s, new String[] {"a", "b", "new"})).isTrue();
        // and it scores on without an alarm from the new sensor's empty baseline
        double[] nan = {Double.NaN, Double.NaN, Double.NaN};
        var scores = scorer.score(s, 999_000_000L, new double[] {10, 20, 30}, nan, nan);
        assertThat(scores.sensors()[2].score()).isZero();
    }
}
