package io.twinstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * An asset's energy in its snapshot: the current and previous hour and day, and the totals since its twin began
 * integrating, with the figures of merit its model allows.
 *
 * @param ratedKw            the model's rated power; absent if it declares none
 * @param hour               the hour in progress (event time)
 * @param day                the day in progress (UTC)
 * @param previousHour       the last hour before it with energy; absent before one ended
 * @param previousDay        the last day before it; absent before one ended
 * @param totalProducedKwh   all energy produced (kWh)
 * @param totalConsumedKwh   all energy consumed (kWh)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnergyView(Double ratedKw, Period hour, Period day, Period previousHour, Period previousDay,
        @JsonSerialize(using = DerivedNumber.class) double totalProducedKwh,
        @JsonSerialize(using = DerivedNumber.class) double totalConsumedKwh) {

    /**
     * Energy over one period.
     *
     * @param start                  start of the period, epoch ms
     * @param producedKwh            produced (a STORAGE asset's discharge)
     * @param consumedKwh            consumed (a STORAGE asset's charge)
     * @param volumeM3               volume pumped, for a model with a volume-flow sensor
     * @param capacityFactor         produced / (rated power x the period's length so far), with a rated power
     * @param specificEnergyKwhPerM3 consumed / volume, with a volume-flow sensor and volume above 0
     * @param roundTripEfficiency    a STORAGE asset's discharge / charge, with charge above 0
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Period(long start,
            @JsonSerialize(using = DerivedNumber.class) double producedKwh,
            @JsonSerialize(using = DerivedNumber.class) double consumedKwh,
            @JsonSerialize(using = DerivedNumber.class) Double volumeM3,
            @JsonSerialize(using = DerivedNumber.class) Double capacityFactor,
            @JsonSerialize(using = DerivedNumber.class) Double specificEnergyKwhPerM3,
            @JsonSerialize(using = DerivedNumber.class) Double roundTripEfficiency) {}

    public static Double capacityFactor(double producedKwh, Double ratedKw, long spanMs) {
        return ratedKw == null || spanMs <= 0 ? null : producedKwh / (ratedKw * spanMs / 3_600_000.0);
    }

    public static Double specificEnergy(double consumedKwh, Double volumeM3) {
        return volumeM3 == null || volumeM3 <= 0 ? null : consumedKwh / volumeM3;
    }

    public static Double roundTrip(double producedKwh, double consumedKwh) {
        return consumedKwh <= 0 ? null : producedKwh / consumedKwh;
    }
}
