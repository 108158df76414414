package io.twinstream.schemas;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One group's roll-up for one tumbling event-time period, on the roll-ups topic keyed by {@code scope:key:period}. The
 * statuses, health and open alerts are those in force at the period's end; energy is what the period integrated.
 *
 * @param schemaVersion contract version (see {@link SchemaVersions#ROLLUP})
 * @param scope         SITE, TYPE (asset type) or FLEET
 * @param key           the site id, the asset type, or {@code fleet}
 * @param period        the period's length as an ISO-8601 duration (PT1M, PT1H)
 * @param periodStart   start of the period, epoch ms, inclusive
 * @param periodEnd     end, exclusive
 * @param figures       the group at the period's end (written inline)
 */
public record Rollup(int schemaVersion, Scope scope, String key, String period, long periodStart, long periodEnd,
        @JsonUnwrapped FleetFigures figures) {

    public enum Scope { SITE, TYPE, FLEET }

    /** The Kafka key: one group's roll-ups of one period length share a partition, in order. */
    public String topicKey() {
        return scope + ":" + key + ":" + period;
    }
}
