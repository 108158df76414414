package io.twinstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A site's current state, on the compacted site-state topic keyed by {@code siteId}: written when it changed, at most
 * once per {@code rollup.step} of event time.
 *
 * @param schemaVersion contract version (see {@link SchemaVersions#SITE_STATE})
 * @param siteId        the site
 * @param time          event time this state holds for, epoch ms
 * @param figures       the site's assets by status, health and open alerts (written inline; energy absent)
 * @param siteAlertId   the open SITE_OUTAGE alert's id; absent when none is open
 */
public record SiteState(int schemaVersion, String siteId, long time, @JsonUnwrapped FleetFigures figures,
        @JsonInclude(JsonInclude.Include.NON_NULL) String siteAlertId) {
}
