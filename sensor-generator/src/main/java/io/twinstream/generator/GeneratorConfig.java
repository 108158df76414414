package io.twinstream.generator;

import io.twinstream.schemas.FaultKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything that shapes one simulated fleet run. Same config and seed, same records, byte for byte.
 *
 * @param seed                 seed of every random choice
 * @param assets               fleet size; asset types are assigned round-robin over {@link #assetTypes}
 * @param sites                number of sites the assets are spread over
 * @param assetTypes           asset types to simulate (model registry names); empty = all
 * @param startMs              event time of the first reading, epoch ms
 * @param durationMs           simulated time to run; 0 = until stopped
 * @param ratePerSecond        target records per wall-clock second; 0 = as fast as possible;
 *                             negative = real time (simulated clock follows the wall clock)
 * @param faultsPerAssetHour   mean sensor faults per asset per simulated hour (0 = none)
 * @param faultKinds           sensor fault kinds to draw from
 * @param faultWarmupMs        no sensor fault starts before this much simulated time (baselines learn)
 * @param scheduledFaults      faults placed exactly, in addition to the random ones (tests, demos)
 * @param duplicateRate        probability a record is also sent a second time
 * @param outOfOrderRate       probability a record is delayed by up to {@link #outOfOrderMaxDelayMs}
 * @param outOfOrderMaxDelayMs how far an out-of-order record is held back (keep below the job's lateness bound)
 * @param lateRate             probability a record is held back by {@link #lateDelayMs}
 * @param lateDelayMs          how far a late record is held back
 * @param lateThresholdMs      the job's lateness bound: a held-back record is labelled LATE only if its
 *                             asset has meanwhile sent a reading newer by more than this
 * @param malformedRate        probability of an extra record with broken JSON
 * @param schemaViolationRate  probability of an extra record that breaks the schema
 * @param unknownTypeRate      probability of an extra record with an unknown asset type
 */
public record GeneratorConfig(
        long seed,
        int assets,
        int sites,
        List<String> assetTypes,
        long startMs,
        long durationMs,
        double ratePerSecond,
        double faultsPerAssetHour,
        Set<FaultKind> faultKinds,
        long faultWarmupMs,
        List<ScheduledFault> scheduledFaults,
        double duplicateRate,
        double outOfOrderRate,
        long outOfOrderMaxDelayMs,
        double lateRate,
        long lateDelayMs,
        long lateThresholdMs,
        double malformedRate,
        double schemaViolationRate,
        double unknownTypeRate) {

    public GeneratorConfig {
        assetTypes = List.copyOf(assetTypes);
        faultKinds = faultKinds.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(faultKinds);
        scheduledFaults = List.copyOf(scheduledFaults);
        if (assets <= 0 || sites <= 0) {
            throw new IllegalArgumentException("assets and sites must be positive");
        }
    }

    /**
     * A fault placed at a fixed asset and time.
     *
     * @param assetIndex  index of the asset in the fleet (0-based)
     * @param kind        fault kind
     * @param sensor      sensor name, or null for DROPOUT (or to let the generator pick)
     * @param startOffsetMs simulated time after {@code startMs} at which it starts
     * @param durationMs  how long it lasts; {@link Long#MAX_VALUE} for "until the run ends"
     */
    public record ScheduledFault(int assetIndex, FaultKind kind, String sensor, long startOffsetMs, long durationMs) {}

    /** Defaults: a small real-time fleet with a few faults and no transport faults. */
    public static GeneratorConfig defaults() {
        return new GeneratorConfig(42L, 200, 8, List.of(), System.currentTimeMillis() / 1000 * 1000, 0, -1,
                0.5, EnumSet.allOf(FaultKind.class), 5 * 60_000L, List.of(),
                0, 0, 2_000, 0, 60_000, 15_000, 0, 0, 0);
    }

    public GeneratorConfig withSeed(long v) { return copy().seed(v).build(); }
    public GeneratorConfig withAssets(int v) { return copy().assets(v).build(); }
    public GeneratorConfig withDuration(long v) { return copy().durationMs(v).build(); }
    public GeneratorConfig withStart(long v) { return copy().startMs(v).build(); }
    public GeneratorConfig withRate(double v) { return copy().ratePerSecond(v).build(); }

    public Builder copy() {
        return new Builder(this);
    }

    /** Mutable builder for the many optional knobs. */
    public static final class Builder {
        private long seed; private int assets; private int sites; private List<String> assetTypes;
        private long startMs; private long durationMs; private double ratePerSecond;
        private double faultsPerAssetHour; private Set<FaultKind> faultKinds; private long faultWarmupMs;
        private List<ScheduledFault> scheduledFaults;
        private double duplicateRate; private double outOfOrderRate; private long outOfOrderMaxDelayMs;
        private double lateRate; private long lateDelayMs; private long lateThresholdMs;
        private double malformedRate; private double schemaViolationRate; private double unknownTypeRate;

        Builder(GeneratorConfig c) {
            seed = c.seed; assets = c.assets; sites = c.sites; assetTypes = c.assetTypes;
            startMs = c.startMs; durationMs = c.durationMs; ratePerSecond = c.ratePerSecond;
            faultsPerAssetHour = c.faultsPerAssetHour; faultKinds = c.faultKinds; faultWarmupMs = c.faultWarmupMs;
            scheduledFaults = c.scheduledFaults;
            duplicateRate = c.duplicateRate; outOfOrderRate = c.outOfOrderRate;
            outOfOrderMaxDelayMs = c.outOfOrderMaxDelayMs; lateRate = c.lateRate; lateDelayMs = c.lateDelayMs;
            lateThresholdMs = c.lateThresholdMs; malformedRate = c.malformedRate;
            schemaViolationRate = c.schemaViolationRate; unknownTypeRate = c.unknownTypeRate;
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder assets(int v) { assets = v; return this; }
        public Builder sites(int v) { sites = v; return this; }
        public Builder assetTypes(List<String> v) { assetTypes = v; return this; }
        public Builder startMs(long v) { startMs = v; return this; }
        public Builder durationMs(long v) { durationMs = v; return this; }
        public Builder ratePerSecond(double v) { ratePerSecond = v; return this; }
        public Builder faultsPerAssetHour(double v) { faultsPerAssetHour = v; return this; }
        public Builder faultKinds(Set<FaultKind> v) { faultKinds = v; return this; }
        public Builder faultWarmupMs(long v) { faultWarmupMs = v; return this; }
        public Builder scheduledFaults(List<ScheduledFault> v) { scheduledFaults = v; return this; }
        public Builder duplicateRate(double v) { duplicateRate = v; return this; }
        public Builder outOfOrderRate(double v) { outOfOrderRate = v; return this; }
        public Builder outOfOrderMaxDelayMs(long v) { outOfOrderMaxDelayMs = v; return this; }
        public Builder lateRate(double v) { lateRate = v; return this; }
        public Builder lateDelayMs(long v) { lateDelayMs = v; return this; }
        public Builder lateThresholdMs(long v) { lateThresholdMs = v; return this; }
        public Builder malformedRate(double v) { malformedRate = v; return this; }
        public Builder schemaViolationRate(double v) { schemaViolationRate = v; return this; }
        public Builder unknownTypeRate(double v) { unknownTypeRate = v; return this; }

        /** Turn every transport fault on at the given rate. */
        public Builder allTransportFaults(double rate) {
            return duplicateRate(rate).outOfOrderRate(rate).lateRate(rate).malformedRate(rate)
                    .schemaViolationRate(rate).unknownTypeRate(rate);
        }

        public GeneratorConfig build() {
            return new GeneratorConfig(seed, assets, sites, assetTypes, startMs, durationMs, ratePerSecond,
                    faultsPerAssetHour, faultKinds, faultWarmupMs, scheduledFaults, duplicateRate, outOfOrderRate,
                    outOfOrderMaxDelayMs, lateRate, lateDelayMs, lateThresholdMs, malformedRate,
                    schemaViolationRate, unknownTypeRate);
        }
    }
}
