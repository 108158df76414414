package io.twinstream.jobs.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.twinstream.schemas.EnergySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnergyLogicTest {
    static final EnergySpec TURBINE = new EnergySpec(List.of("p"), null, null, EnergySpec.Direction.PRODUCER, 100.0,
            null, 3);
    static final EnergySpec STORAGE = new EnergySpec(List.of("v", "i"), 0.001, null, EnergySpec.Direction.STORAGE, null,
            null, null);
    static final EnergySpec METER = new EnergySpec(null, null, "kwh", EnergySpec.Direction.CONSUMER, null, "flow", null);

    record Bucket(long start, long closedAt, double produced, double consumed, double volume) {}

    final List<Bucket> buckets = new ArrayList<>();
    final EnergyLogic logic = new EnergyLogic(60_000);
    final EnergyMeter m = new EnergyMeter();

    void read(EnergySpec spec, long t, Map<String, Double> values) {
        logic.onReading(m, spec, 1_000, t, values, (s, c, p, q, v) -> buckets.add(new Bucket(s, c, p, q, v)));
    }

    @Test
    void aLinearRampIsIntegratedExactlyAndSplitAtTheBucketEndByInterpolation() {
        // power rises 1 kW per second from 0 at t = 50 s to 20 kW at t = 70 s, one reading a second
        for (long t = 50; t <= 70; t++) {
            read(TURBINE, t * 1_000, Map.of("p", (double) (t - 50)));
        }
        assertThat(buckets).singleElement().satisfies(b -> {
            assertThat(b.start()).isZero();
            assertThat(b.closedAt()).isEqualTo(61_000); // at the first reading past its end
            assertThat(b.produced()).isCloseTo(10.0 * 10 / 2 / 3600, within(1e-12)); // 0..10 kW over 10 s
        });
        double total = 20.0 * 20 / 2 / 3600;
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.PRODUCED]).isCloseTo(total, within(1e-12));
        assertThat(m.sums[EnergyMeter.BUCKET + EnergyMeter.PRODUCED]).isCloseTo(total - buckets.get(0).produced(),
                within(1e-12));
        // over the part of the hour the meter saw: from its first reading (50 s) to its last (70 s)
        assertThat(EnergyLogic.view(m, TURBINE).hour().capacityFactor()).isCloseTo(total / (100.0 * 20 / 3600),
                within(1e-12));
    }

    @Test
    void noEnergyIsIntegratedAcrossAGapLongerThanTheModelAllows() {
        read(TURBINE, 1_000, Map.of("p", 36.0));
        read(TURBINE, 4_000, Map.of("p", 36.0)); // 3 s: three intervals, bridged
        read(TURBINE, 8_000, Map.of("p", 36.0)); // 4 s: not
        read(TURBINE, 9_000, Map.of("p", 36.0));
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.PRODUCED]).isCloseTo(36.0 * 4 / 3600, within(1e-12));
        read(TURBINE, 10_000, Map.of()); // the power sensor missing: no sample, and none across it
        read(TURBINE, 11_000, Map.of("p", 36.0));
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.PRODUCED]).isCloseTo(36.0 * 4 / 3600, within(1e-12));
    }

    @Test
    void storagePowerThroughZeroIsSplitIntoDischargeAndCharge() {
        read(STORAGE, 0, Map.of("v", 400.0, "i", 90.0)); // +36 kW: discharging
        read(STORAGE, 2_000, Map.of("v", 400.0, "i", -90.0)); // -36 kW: charging; zero at 1 s
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.PRODUCED]).isCloseTo(36.0 / 2 / 3600, within(1e-12));
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.CONSUMED]).isCloseTo(36.0 / 2 / 3600, within(1e-12));
        assertThat(EnergyLogic.view(m, STORAGE).hour().roundTripEfficiency()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aCounterCountsItsRiseAndADropIsAResetFromZero() {
        read(METER, 0, Map.of("kwh", 1000.0, "flow", 36.0));
        read(METER, 1_000, Map.of("kwh", 1000.5, "flow", 36.0));
        read(METER, 2_000, Map.of("kwh", 0.25, "flow", 36.0)); // reset: 0.25 kWh since
        read(METER, 3_000, Map.of("kwh", 0.5, "flow", 36.0));
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.CONSUMED]).isCloseTo(1.0, within(1e-12));
        assertThat(m.sums[EnergyMeter.TOTAL + EnergyMeter.VOLUME]).isCloseTo(36.0 * 3 / 3600, within(1e-12));
        assertThat(EnergyLogic.view(m, METER).hour().specificEnergyKwhPerM3()).isCloseTo(1.0 / 0.03, within(1e-9));
    }

    @Test
    void aSilentAssetsBucketClosesAtItsWakeUpAndTheHourAndDayMoveOn() {
        read(TURBINE, 3_590_000, Map.of("p", 36.0));
        read(TURBINE, 3_599_000, Map.of("p", 36.0)); // 9 s: not bridged
        read(TURBINE, 3_600_000, Map.of("p", 36.0));
        read(TURBINE, 3_601_000, Map.of("p", 36.0));
        assertThat(buckets).extracting(Bucket::start).containsExactly(3_540_000L);
        assertThat(EnergyLogic.view(m, TURBINE).previousHour().producedKwh()).isCloseTo(36.0 / 3600, within(1e-12));
        // the previous hour counts from the meter's first reading, 10 s before its end
        assertThat(EnergyLogic.view(m, TURBINE).previousHour().capacityFactor()).isCloseTo(0.01 / (100 * 10 / 3600.0),
                within(1e-12));
        logic.onSilence(m, 3_640_000, (s, c, p, q, v) -> buckets.add(new Bucket(s, c, p, q, v)));
        assertThat(buckets).extracting(Bucket::start).containsExactly(3_540_000L); // its bucket has not ended
        logic.onSilence(m, 3_660_000, (s, c, p, q, v) -> buckets.add(new Bucket(s, c, p, q, v)));
        assertThat(buckets).extracting(Bucket::start).containsExactly(3_540_000L, 3_600_000L);
        assertThat(buckets.get(1).closedAt()).isEqualTo(3_660_000);
    }
}
