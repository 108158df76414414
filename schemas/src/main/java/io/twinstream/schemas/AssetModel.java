package io.twinstream.schemas;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An asset type: the sensors it reports and how often. One telemetry record carries one reading
 * of every sensor, so the sampling interval belongs to the type. The format is
 * {@code twinstream/schemas/asset-model.v1.schema.json}; {@link ModelDefinitions} reads and checks it.
 *
 * @param type               the {@code assetType} value in telemetry
 * @param version            version of this type's model, 1 if not given; a higher one replaces a lower one at runtime
 * @param description        what the asset is
 * @param samplingIntervalMs nominal time between two readings of one asset
 * @param sensors            the sensors, each with unit and valid physical range
 * @param settable           properties operators may set ({@code twin.desired}); empty if none
 * @param commands           names of the explicit commands the asset takes ({@code twin.command-requests}: a
 *                           {@code restart}, say); empty if none
 * @param energy             where its energy comes from (power or a counter, produced or consumed); null if none
 */
public record AssetModel(String type, Integer version, String description, long samplingIntervalMs,
        List<SensorSpec> sensors, List<SettableProperty> settable, List<String> commands, EnergySpec energy)
        implements java.io.Serializable {

    public AssetModel(String type, Integer version, String description, long samplingIntervalMs,
            List<SensorSpec> sensors, List<SettableProperty> settable, List<String> commands) {
        this(type, version, description, samplingIntervalMs, sensors, settable, commands, null);
    }

    public AssetModel {
        version = version == null ? 1 : version;
        sensors = List.copyOf(sensors);
        settable = settable == null ? List.of() : List.copyOf(settable);
        commands = commands == null ? List.of() : List.copyOf(commands);
    }

    public AssetModel(String type, Integer version, String description, long samplingIntervalMs,
            List<SensorSpec> sensors, List<SettableProperty> settable) {
        this(type, version, description, samplingIntervalMs, sensors, settable, null);
    }

    public AssetModel(String type, Integer version, String description, long samplingIntervalMs,
            List<SensorSpec> sensors) {
        this(type, version, description, samplingIntervalMs, sensors, null, null);
    }

    public AssetModel(String type, String description, long samplingIntervalMs, List<SensorSpec> sensors) {
        this(type, 1, description, samplingIntervalMs, sensors, null, null);
    }

    /** The settable property of that name, or null. */
    public SettableProperty settable(String name) {
        for (SettableProperty p : settable) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    public Map<String, SensorSpec> sensorsByName() {
        return sensors.stream().collect(Collectors.toUnmodifiableMap(SensorSpec::name, Function.identity()));
    }

    public SensorSpec sensor(String name) {
        for (SensorSpec s : sensors) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The sensor names in the model's order. */
    public String[] sensorNames() {
        String[] names = new String[sensors.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = sensors.get(i).name();
        }
        return names;
    }
}
