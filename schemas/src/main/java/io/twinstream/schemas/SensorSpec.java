package io.twinstream.schemas;

/**
 * One sensor an asset type declares.
 *
 * @param name        key in {@link Telemetry#readings()}
 * @param unit        unit of its values
 * @param min         lower end of the valid physical range
 * @param max         upper end of the valid physical range
 * @param description what the sensor measures (optional)
 * @param alertBelow  optional alert limit: a value below it is a RANGE breach although physically valid
 * @param alertAbove  optional alert limit: a value above it is a RANGE breach although physically valid
 */
public record SensorSpec(String name, String unit, double min, double max, String description, Double alertBelow,
        Double alertAbove) implements java.io.Serializable {

    public SensorSpec(String name, String unit, double min, double max) {
        this(name, unit, min, max, null, null, null);
    }

    public boolean inRange(double value) {
        return value >= min && value <= max;
    }

    /** Lower end of what is normal for alerting: the alert limit if set, else the physical minimum. */
    public double lowLimit() {
        return alertBelow != null ? alertBelow : min;
    }

    /** Upper end of what is normal for alerting: the alert limit if set, else the physical maximum. */
    public double highLimit() {
        return alertAbove != null ? alertAbove : max;
    }

    public boolean hasAlertLimits() {
        return alertBelow != null || alertAbove != null;
    }
}
