package io.twinstream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/**
 * One event in an alert's life, on the alerts topic keyed by {@code alertId}: OPENED once per
 * incident, UPDATED when its severity rises, RESOLVED once.
 *
 * @param schemaVersion contract version (see {@link SchemaVersions#ALERT})
 * @param alertId       stable id of the incident: asset, kind and start time, so a restart that replays
 *                      the same input derives the same id
 * @param assetId       the asset
 * @param assetType     its type
 * @param siteId        its site
 * @param kind          ANOMALY, OFFLINE, DESIRED_STATE_DRIFT (a settable property away from its desired value for
 *                      longer than the model allows) or COMMAND_EXPIRED / COMMAND_FAILED (a command not applied)
 * @param state         OPENED, UPDATED or RESOLVED
 * @param severity      WARNING or CRITICAL
 * @param sensor        the sensor that scored highest (null for OFFLINE); the property, for the command kinds and drift
 * @param detector      the detector that fired
 * @param score         the window score that caused this event, in [0, 1]
 * @param observed      the value behind the score
 * @param expected      what the baseline expected
 * @param reason        one line for a person on call
 * @param startedAt     event time the incident started, epoch ms
 * @param updatedAt     event time of this event, epoch ms
 * @param resolvedAt    event time it resolved, or null while open
 * @param currentValues the twin's latest value per sensor
 * @param registry      the asset's registry entry (display name, parent, location, tags); null if unregistered
 */
public record Alert(
        int schemaVersion,
        String alertId,
        String assetId,
        String assetType,
        String siteId,
        AlertKind kind,
        AlertState state,
        Severity severity,
        String sensor,
        Detector detector,
        @JsonSerialize(using = DerivedNumber.class) double score,
        @JsonSerialize(using = DerivedNumber.class) double observed,
        @JsonSerialize(using = DerivedNumber.class) double expected,
        String reason,
        long startedAt,
        long updatedAt,
        Long resolvedAt,
        Map<String, Double> currentValues,
        AssetInfo registry) {

    public enum AlertKind { ANOMALY, OFFLINE, DESIRED_STATE_DRIFT, COMMAND_EXPIRED, COMMAND_FAILED }

    public enum AlertState { OPENED, UPDATED, RESOLVED }

    public enum Severity { WARNING, CRITICAL }
}
