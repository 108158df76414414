package io.twinstream.jobs.rollup;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.SchemaVersions;
import java.util.List;
import java.util.Map;

/**
 * When a share of a site's assets is OFFLINE or alerting at once, that is one incident of the site (a SITE_OUTAGE),
 * not as many pages as assets: it opens at {@code rollup.site-alert-share} with at least
 * {@code rollup.site-alert-min-assets} affected, and resolves below {@code rollup.site-alert-clear-share}. It names
 * the asset alerts open when it opened, so an on-call tool can fold them under it.
 */
public final class SiteOutage {
    private SiteOutage() {}

    /** An open site alert as the site's state keeps it. */
    public record Open(String alertId, long startedAt, Alert.Severity severity, List<String> related) {}

    /** Whether a site with {@code affected} of {@code assets} assets affected is in an outage. */
    static boolean opens(RollupSettings s, int affected, int assets) {
        return assets > 0 && affected >= s.siteAlertMinAssets() && affected >= s.siteAlertShare() * assets;
    }

    static boolean clears(RollupSettings s, int affected, int assets) {
        return assets == 0 || affected < s.siteAlertClearShare() * assets;
    }

    /** CRITICAL when the offline assets alone make an outage, else WARNING (many assets alerting, still reporting). */
    static Alert.Severity severity(RollupSettings s, int offline, int assets) {
        return opens(s, offline, assets) ? Alert.Severity.CRITICAL : Alert.Severity.WARNING;
    }

    static String id(String siteId, long startedAt) {
        return siteId + "/SITE_OUTAGE/" + startedAt;
    }

    static Alert event(String siteId, Open open, Alert.AlertState state, long time, int affected, int offline,
            int assets) {
        String reason = affected + " of " + assets + " assets at site " + siteId + " offline or alerting (" + offline
                + " offline)" + (state == Alert.AlertState.RESOLVED ? ": back below the clear share" : "");
        return new Alert(SchemaVersions.ALERT, open.alertId(), siteId, "site", siteId, Alert.AlertKind.SITE_OUTAGE,
                state, open.severity(), null, io.twinstream.schemas.Detector.NONE, assets == 0 ? 0 : (double) affected / assets, affected,
                0, reason, open.startedAt(), time, state == Alert.AlertState.RESOLVED ? Long.valueOf(time) : null,
                Map.of(), null, null, null, null, null, null, open.related());
    }
}
