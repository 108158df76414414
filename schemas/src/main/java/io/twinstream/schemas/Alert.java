package io.twinstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 *                      longer than the model allows), COMMAND_EXPIRED / COMMAND_FAILED (a command not applied) or
 *                      SITE_OUTAGE (a share of a site's assets offline or alerting at once; then {@code assetId} is
 *                      the site and {@code assetType} is {@code site})
 * @param state         OPENED, UPDATED (severity rose, or an operator acted on it) or RESOLVED
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
 * @param acknowledged  whether an operator acknowledged the incident ({@code twin.alert-actions}); absent before any
 *                      action on it
 * @param acknowledgedBy who acknowledged it
 * @param acknowledgedAt when, epoch ms
 * @param assignee      who it is assigned to
 * @param note          the latest note or comment an operator left on it
 * @param relatedAlerts for a SITE_OUTAGE, the ids of the site's asset alerts open when it opened (at most
 *                      {@link #MAX_RELATED}); absent otherwise
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
        AssetInfo registry,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean acknowledged,
        @JsonInclude(JsonInclude.Include.NON_NULL) String acknowledgedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long acknowledgedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String assignee,
        @JsonInclude(JsonInclude.Include.NON_NULL) String note,
        @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<String> relatedAlerts) {

    /** At most this many asset alerts are named by a site alert (the reason gives the counts). */
    public static final int MAX_RELATED = 100;

    /** An alert as operators last left it, not naming other alerts. */
    public Alert(int schemaVersion, String alertId, String assetId, String assetType, String siteId, AlertKind kind,
            AlertState state, Severity severity, String sensor, Detector detector, double score, double observed,
            double expected, String reason, long startedAt, long updatedAt, Long resolvedAt,
            Map<String, Double> currentValues, AssetInfo registry, Boolean acknowledged, String acknowledgedBy,
            Long acknowledgedAt, String assignee, String note) {
        this(schemaVersion, alertId, assetId, assetType, siteId, kind, state, severity, sensor, detector, score,
                observed, expected, reason, startedAt, updatedAt, resolvedAt, currentValues, registry, acknowledged,
                acknowledgedBy, acknowledgedAt, assignee, note, null);
    }

    /** An alert no operator has acted on. */
    public Alert(int schemaVersion, String alertId, String assetId, String assetType, String siteId, AlertKind kind,
            AlertState state, Severity severity, String sensor, Detector detector, double score, double observed,
            double expected, String reason, long startedAt, long updatedAt, Long resolvedAt,
            Map<String, Double> currentValues, AssetInfo registry) {
        this(schemaVersion, alertId, assetId, assetType, siteId, kind, state, severity, sensor, detector, score,
                observed, expected, reason, startedAt, updatedAt, resolvedAt, currentValues, registry, null, null, null,
                null, null);
    }

    /** The same event with the asset's registry entry. */
    public Alert withRegistry(AssetInfo info) {
        return new Alert(schemaVersion, alertId, assetId, assetType, siteId, kind, state, severity, sensor, detector,
                score, observed, expected, reason, startedAt, updatedAt, resolvedAt, currentValues, info, acknowledged,
                acknowledgedBy, acknowledgedAt, assignee, note, relatedAlerts);
    }

    /** The same incident as another event: {@code state} at {@code updatedAt}, with operators' annotations. */
    public Alert annotated(AlertState state, long updatedAt, String reason, Boolean acknowledged,
            String acknowledgedBy, Long acknowledgedAt, String assignee, String note) {
        return new Alert(schemaVersion, alertId, assetId, assetType, siteId, kind, state, severity, sensor, detector,
                score, observed, expected, reason, startedAt, updatedAt, resolvedAt, currentValues, registry,
                acknowledged, acknowledgedBy, acknowledgedAt, assignee, note, relatedAlerts);
    }

    public enum AlertKind { ANOMALY, OFFLINE, DESIRED_STATE_DRIFT, COMMAND_EXPIRED, COMMAND_FAILED, SITE_OUTAGE }

    public enum AlertState { OPENED, UPDATED, RESOLVED }

    public enum Severity { WARNING, CRITICAL }
}
