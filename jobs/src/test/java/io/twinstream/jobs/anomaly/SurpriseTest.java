package io.twinstream.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SurpriseTest {
    static final int WARMUP = 30;
    static final int MEMORY = 5000;

    /**
     * The runs' usual sizes start from their first warm reading. For a quantised series that reading can sit exactly
     * at the running mean, a deviation of 1e-16 or so; clipped at eight times the size so far from then on, the size
     * could only creep up by that factor's share per reading, every later deviation looked rare, and the series'
     * condition stayed "rare" (an incident every re-baseline) for as long as it ran.
     */
    @Test
    void aFirstWarmReadingAtTheExactMeanDoesNotLeaveTheUsualSizesNearZero() {
        double[] st = Surprise.newState(1);
        double[] condition = new double[1];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i <= WARMUP; i++) {
            Surprise.observe(st, 0, 5.0 + r.nextGaussian(), MEMORY, WARMUP, false, condition);
        }
        // the first warm reading, a hair from the condition's reference
        Surprise.observe(st, 0, Surprise.level(st, 0) + 1e-12, MEMORY, WARMUP, false, condition);
        int rare = 0;
        int n = 3000;
        for (int i = 0; i < n; i++) {
            Surprise.observe(st, 0, 5.0 + r.nextGaussian(), MEMORY, WARMUP, false, condition);
            rare += i >= 2 * WARMUP && condition[0] < 1e-3 ? 1 : 0;
        }
        assertThat((double) rare / n).as("share of normal readings whose condition is rarer than 1e-3")
                .isLessThanOrEqualTo(0.01);
    }
}
