package io.twinstream.schemas;

/**
 * One sensor an asset type declares.
 *
 * @param name  key in {@link Telemetry#readings()}
 * @param unit  unit of its values
 * @param min   lower end of the valid physical range
 * @param max   upper end of the valid physical range
 */
public record SensorSpec(String name, String unit, double min, double max) implements java.io.Serializable {
    public boolean inRange(double value) {
        return value >= min && value <= max;
    }
}
