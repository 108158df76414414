package io.twinstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntakeRateTest {
    private static final long MS = 1_000_000;

    /**
     * A job that starts at 1.3 s, takes in 50,000 records/s and is done at 21.3 s, its count fetched every second and
     * polled every 200 ms: the rate is exact, though the first fetch shows a partial second and the count reaches the
     * total up to a second after the job ran dry.
     */
    @Test
    void measuresBetweenFetchesTakenWhileTheJobConsumed() {
        long total = 1_000_000;
        IntakeRate<Double> rate = new IntakeRate<>(total);
        for (long poll = 0; poll <= 25_000; poll += 200) {
            long fetch = poll / 1000 * 1000; // the count as of the last fetch
            double n = Math.max(0, Math.min(total, (fetch - 1300) * 50.0));
            rate.poll((poll + 37) * MS, n); // a fixed delay between fetch and poll cancels out
        }
        assertThat(rate.perSecond()).isCloseTo(50_000, within(1e-6));
        assertThat(rate.count()).isEqualTo(total);
    }

    @Test
    void theIdleTimeAfterTheLastRecordDoesNotLowerTheRate() {
        IntakeRate<Double> rate = new IntakeRate<>(300);
        rate.poll(1_000 * MS, 100);
        rate.poll(2_000 * MS, 200);
        rate.poll(9_000 * MS, 300); // the total, seen late
        assertThat(rate.perSecond()).isCloseTo(100, within(1e-9));
    }

    @Test
    void whatIsReadAtEachPollIsTakenFromTheSamePolls() {
        IntakeRate<Double> rate = new IntakeRate<>(300);
        rate.poll(1_000 * MS, 0, () -> 5.0);     // before the job took anything in: not an endpoint
        rate.poll(2_000 * MS, 100, () -> 7.0);
        rate.poll(6_000 * MS, 200, () -> 8.2);
        rate.poll(9_000 * MS, 300, () -> 99.0);  // the total, after the job ran dry: not an endpoint
        assertThat(rate.atFirst()).isEqualTo(7.0);
        assertThat(rate.atLast()).isEqualTo(8.2);
        assertThat(rate.seconds()).isCloseTo(4, within(1e-9));
        assertThat(rate.records()).isEqualTo(100);
    }

    @Test
    void noRateFromASingleFetch() {
        IntakeRate<Double> rate = new IntakeRate<>(100);
        rate.poll(1_000 * MS, 0);
        rate.poll(2_000 * MS, 40);
        rate.poll(3_000 * MS, 100);
        assertThat(rate.perSecond()).isZero();
        assertThat(rate.atFirst()).isNull();
    }
}
