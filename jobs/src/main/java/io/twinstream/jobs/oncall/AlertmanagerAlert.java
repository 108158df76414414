package io.twinstream.jobs.oncall;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One alert as Alertmanager's v2 API takes it ({@code POST /api/v2/alerts}, a JSON array of these). Alertmanager
 * identifies an alert by its label set; annotations are replaced by the newest received.
 *
 * @param labels       identity and routing: alertname, alert_id, asset, site, asset_type, kind, severity, sensor
 * @param annotations  for the person paged: summary, reason, observed, expected, current values
 * @param startsAt     RFC 3339, the incident's start
 * @param endsAt       RFC 3339: its end once resolved; while open, a time a little after the next re-send, so
 *                     Alertmanager resolves it by itself if the bridge stops sending
 * @param generatorURL a link back to the source (empty: none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertmanagerAlert(Map<String, String> labels, Map<String, String> annotations, String startsAt,
        String endsAt, String generatorURL) {}
