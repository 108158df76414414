package io.twinstream.jobs.oncall;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.DerivedNumber;
import io.twinstream.schemas.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a twinstream alert looks in Alertmanager. The labels are what routes and groups it and what identifies it: the
 * incident's stable {@code alert_id} is one of them, so a replay of the alerts topic updates the same Alertmanager
 * alert instead of raising another. Everything else a person reads goes to annotations.
 */
public final class AlertmanagerMapping implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code alertname} per alert kind, in Alertmanager's CamelCase style. */
    static final Map<Alert.AlertKind, String> ALERT_NAMES = Map.of(
            Alert.AlertKind.ANOMALY, "TwinstreamAssetAnomaly",
            Alert.AlertKind.OFFLINE, "TwinstreamAssetOffline",
            Alert.AlertKind.SITE_OUTAGE, "TwinstreamSiteOutage");

    private final String generatorUrl;

    /** @param generatorUrl link put into each alert (e.g. the live view or a dashboard); empty for none */
    public AlertmanagerMapping(String generatorUrl) {
        this.generatorUrl = generatorUrl == null || generatorUrl.isBlank() ? null : generatorUrl;
    }

    public static Map<String, String> labels(Alert a) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", ALERT_NAMES.getOrDefault(a.kind(), "TwinstreamAsset"));
        labels.put("alert_id", a.alertId());
        put(labels, "asset", a.assetId());
        put(labels, "site", a.siteId());
        put(labels, "asset_type", a.assetType());
        put(labels, "kind", a.kind() == null ? null : a.kind().name().toLowerCase(java.util.Locale.ROOT));
        put(labels, "severity", a.severity() == null ? null : a.severity().name().toLowerCase(java.util.Locale.ROOT));
        put(labels, "sensor", a.sensor());
        return labels;
    }

    public static Map<String, String> annotations(Alert a) {
        Map<String, String> annotations = new LinkedHashMap<>();
        String name = a.registry() != null && a.registry().displayName() != null ? a.registry().displayName()
                : a.assetId();
        annotations.put("summary", name + ": " + a.reason());
        put(annotations, "reason", a.reason());
        if (a.kind() == Alert.AlertKind.ANOMALY) {
            annotations.put("observed", DerivedNumber.toString(a.observed()));
            annotations.put("expected", DerivedNumber.toString(a.expected()));
            annotations.put("score", DerivedNumber.toString(a.score()));
        }
        if (a.detector() != null) {
            annotations.put("detector", a.detector().name());
        }
        if (a.currentValues() != null && !a.currentValues().isEmpty()) {
            try {
                annotations.put("current_values", Json.MAPPER.writeValueAsString(new TreeMap<>(a.currentValues())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a map of numbers is always JSON", e);
            }
        }
        return annotations;
    }

    /**
     * The alert as Alertmanager takes it, ending at {@code endsAtMs}: while its incident is open, a time after the
     * next re-send (Alertmanager resolves it then unless it is sent again); once resolved, the incident's end; when
     * its labels changed (a severity rise), the time of the change, which resolves the old label set.
     */
    public AlertmanagerAlert alert(Alert a, long endsAtMs) {
        return new AlertmanagerAlert(labels(a), annotations(a), time(a.startedAt()), time(endsAtMs), generatorUrl);
    }

    static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
