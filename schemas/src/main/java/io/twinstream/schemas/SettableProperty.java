package io.twinstream.schemas;

/**
 * A property of an asset type that operators may set through {@code twin.desired} (a pump's target flow, a turbine's
 * power limit). The asset reports the value in force in its readings under the same name: that is its reported state,
 * kept beside the desired one, never scored as a sensor.
 *
 * @param name         key in {@link DesiredState#desired()} and in {@link Telemetry#readings()}
 * @param unit         unit of its values
 * @param min          lowest value that may be desired
 * @param max          highest value that may be desired
 * @param description  what it sets (optional)
 * @param tolerance    reported and desired agree when they differ by at most this; 0 if not given
 * @param driftAfterMs disagreement for longer than this raises DESIRED_STATE_DRIFT; null: the job's default
 * @param commandTtlMs a command setting it expires this long after it was sent; null: the job's default
 */
public record SettableProperty(String name, String unit, double min, double max, String description, Double tolerance,
        Long driftAfterMs, Long commandTtlMs) implements java.io.Serializable {

    public SettableProperty {
        tolerance = tolerance == null ? 0.0 : tolerance;
    }

    public SettableProperty(String name, String unit, double min, double max) {
        this(name, unit, min, max, null, null, null, null);
    }

    public boolean inRange(double value) {
        return value >= min && value <= max;
    }

    /** Whether a reported value agrees with the desired one. */
    public boolean agrees(double desired, double reported) {
        return Math.abs(desired - reported) <= tolerance;
    }
}
