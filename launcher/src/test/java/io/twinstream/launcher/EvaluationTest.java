package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.FaultKind;
import org.junit.jupiter.api.Test;

/**
 * A smaller evaluation on every build: the floor stated in docs/detection.md. The full one
 * ({@code bin/twinstream evaluate}: 40 assets, 2 h) is reported there too.
 */
class EvaluationTest {
    static final double FLOOR = 0.85;

    @Test
    void detectsInjectedFaultsAboveTheFloor() throws Exception {
        EvaluationReport report = Evaluation.run(
                new Evaluation.Options(42, 16, 3_600_000L, 2.0, PipelineConfig.defaults()));
        System.out.println(report.table());
        assertThat(report.labels()).isGreaterThanOrEqualTo(15);
        for (FaultKind kind : FaultKind.values()) {
            assertThat(report.perKind().get(kind).labels()).as("labels of %s", kind).isPositive();
        }
        assertThat(report.precision()).as("precision").isGreaterThanOrEqualTo(FLOOR);
        assertThat(report.recall()).as("recall").isGreaterThanOrEqualTo(FLOOR);
        assertThat(report.f1()).as("F1").isGreaterThanOrEqualTo(FLOOR);
        EvaluationReport.KindResult spikes = report.perKind().get(FaultKind.SPIKE);
        assertThat(spikes.recall()).isEqualTo(1.0);
        assertThat(spikes.p95DelayMs()).as("spikes alerted within 2 windows (slides)")
                .isLessThanOrEqualTo(2.0 * report.windowSlideMs());
    }
}
