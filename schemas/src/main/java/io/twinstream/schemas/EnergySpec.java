package io.twinstream.schemas;

import java.util.List;
import java.util.Map;

/**
 * Where an asset type's energy comes from: a power reading (kW, or a product of readings times a scale, such as volts
 * times amps times 0.001) integrated over time in trapezoids, or a cumulative energy counter (kWh). Positive power
 * (or a rising counter) is energy the asset {@code direction} says: produced by a PRODUCER, consumed by a CONSUMER;
 * for STORAGE, positive is discharge (produced) and negative is charge (consumed).
 *
 * @param power           sensors whose product, times {@code scale}, is the power in kW; empty with a counter
 * @param scale           factor of that product (1 if absent)
 * @param counter         a sensor counting energy in kWh (instead of power); a value below the previous one is a reset
 * @param direction       PRODUCER, CONSUMER or STORAGE
 * @param ratedKw         rated power, for the capacity factor (optional)
 * @param volumeFlow      a sensor of volume flow in m³/h, for the specific energy in kWh/m³ (optional)
 * @param maxGapIntervals no energy is integrated across a gap between two readings longer than this many sampling
 *                        intervals (3 if absent): the asset's energy in such a gap is not known
 */
public record EnergySpec(List<String> power, Double scale, String counter, Direction direction, Double ratedKw,
        String volumeFlow, Integer maxGapIntervals) implements java.io.Serializable {

    public enum Direction { PRODUCER, CONSUMER, STORAGE }

    public EnergySpec {
        power = power == null ? List.of() : List.copyOf(power);
        scale = scale == null ? 1.0 : scale;
        maxGapIntervals = maxGapIntervals == null ? 3 : maxGapIntervals;
    }

    /** The asset's power in kW from one reading's values, or NaN if a sensor it needs is missing. */
    public double powerKw(Map<String, Double> readings) {
        double p = scale;
        for (String s : power) {
            Double v = readings.get(s);
            if (v == null || !Double.isFinite(v)) {
                return Double.NaN;
            }
            p *= v;
        }
        return p;
    }

    /** Every sensor the spec names. */
    public List<String> sensors() {
        List<String> all = new java.util.ArrayList<>(power);
        if (counter != null) {
            all.add(counter);
        }
        if (volumeFlow != null) {
            all.add(volumeFlow);
        }
        return all;
    }
}
