package io.twinstream.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeasonalityTest {
    static final long T0 = 1_709_510_400_000L; // a Monday, 00:00 UTC

    @Test
    void aProfileStoredBeforeTheDailyAmplitudesIsReadWithThemAtOneAndPredictsAsBefore() {
        int sensors = 2;
        double[] old = new double[sensors * Seasonality.STRIDE_WITHOUT_AMPLITUDES];
        for (int i = 0; i < old.length; i++) {
            old[i] = Math.sin(i); // some profile; the usefulness test's errors make it apply (with < 0.8 without)
        }
        for (int j = 0; j < sensors; j++) {
            old[j * Seasonality.STRIDE_WITHOUT_AMPLITUDES + 35] = 0.1;
            old[j * Seasonality.STRIDE_WITHOUT_AMPLITUDES + 36] = 1.0;
        }
        double[] migrated = Seasonality.migrate(old, sensors);
        assertThat(migrated).hasSize(sensors * Seasonality.STRIDE);
        long span = 30L * 24 * 3_600_000;
        long t = T0 + 3L * 24 * 3_600_000 + 13 * 3_600_000 + 1_234_567;
        for (int j = 0; j < sensors; j++) {
            int o = j * Seasonality.STRIDE_WITHOUT_AMPLITUDES;
            // what the layout without amplitudes predicted: daily + weekly, interpolated between bin centres
            double daily = between(old, o, 24, t, 3_600_000L);
            double weekly = between(old, o + 24, 7, t, 24 * 3_600_000L);
            assertThat(Seasonality.offset(migrated, j, t, span)).isCloseTo(daily + weekly,
                    org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(Seasonality.migrate(migrated, sensors)).as("a current profile is left alone").isSameAs(migrated);
    }

    private static double between(double[] st, int base, int bins, long t, long width) {
        double u = (double) Math.floorMod(t, width * bins) / width - 0.5;
        int b0 = (int) Math.floor(u);
        double f = u - b0;
        return (1 - f) * st[base + Math.floorMod(b0, bins)] + f * st[base + Math.floorMod(b0 + 1, bins)];
    }
}
