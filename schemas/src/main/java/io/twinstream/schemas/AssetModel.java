package io.twinstream.schemas;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An asset type: the sensors it reports and how often. One telemetry record carries one reading
 * of every sensor, so the sampling interval belongs to the type.
 *
 * @param type               the {@code assetType} value in telemetry
 * @param description        what the asset is
 * @param samplingIntervalMs nominal time between two readings of one asset
 * @param sensors            the sensors, each with unit and valid physical range
 */
public record AssetModel(String type, String description, long samplingIntervalMs, List<SensorSpec> sensors)
        implements java.io.Serializable {

    public AssetModel {
        sensors = List.copyOf(sensors);
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
}
