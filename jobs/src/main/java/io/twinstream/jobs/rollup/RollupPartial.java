package io.twinstream.jobs.rollup;

import io.twinstream.schemas.FleetFigures;
import io.twinstream.schemas.Rollup;

/**
 * Sums over some of a group's assets for one period, to be added up with the group's other partials (the keyBy by
 * group): one site's assets of one type, before the fan-out; then a site, a type or the fleet. Flat, as it crosses
 * a network shuffle.
 */
public record RollupPartial(Rollup.Scope scope, String key, String siteId, String assetType, long periodMs,
        long periodEnd, int assets, int online, int stale, int offline, int alertingAssets, int openWarning,
        int openCritical, int scored, double healthSum, double worstHealth, boolean hasEnergy, double producedKwh,
        double consumedKwh, double ratedKw, double ratedProducedKwh, double volumeM3, double pumpedConsumedKwh,
        double storageChargedKwh, double storageDischargedKwh) {

    /** The partial of one site's assets of one type, before the fan-out to its groups. */
    static RollupPartial cell(String siteId, String assetType, long periodMs, long periodEnd) {
        return new RollupPartial(null, null, siteId, assetType, periodMs, periodEnd, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Double.POSITIVE_INFINITY, false, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The same sums under another group. */
    public RollupPartial as(Rollup.Scope scope, String key) {
        return new RollupPartial(scope, key, siteId, assetType, periodMs, periodEnd, assets, online, stale, offline,
                alertingAssets, openWarning, openCritical, scored, healthSum, worstHealth, hasEnergy, producedKwh,
                consumedKwh, ratedKw, ratedProducedKwh, volumeM3, pumpedConsumedKwh, storageChargedKwh,
                storageDischargedKwh);
    }

    /** The same figures with the energy of the period: produced, consumed, and the sums behind the figures of merit. */
    RollupPartial withEnergy(double[] e) {
        return new RollupPartial(scope, key, siteId, assetType, periodMs, periodEnd, assets, online, stale, offline,
                alertingAssets, openWarning, openCritical, scored, healthSum, worstHealth, true, producedKwh + e[0],
                consumedKwh + e[1], ratedKw, ratedProducedKwh + e[2], volumeM3 + e[3], pumpedConsumedKwh + e[4],
                storageChargedKwh + e[5], storageDischargedKwh + e[6]);
    }

    /** The sum of two partials of one group and period. */
    public static RollupPartial merge(RollupPartial a, RollupPartial b) {
        return new RollupPartial(a.scope, a.key, a.siteId, a.assetType, a.periodMs, a.periodEnd, a.assets + b.assets,
                a.online + b.online, a.stale + b.stale, a.offline + b.offline, a.alertingAssets + b.alertingAssets,
                a.openWarning + b.openWarning, a.openCritical + b.openCritical, a.scored + b.scored,
                a.healthSum + b.healthSum, Math.min(a.worstHealth, b.worstHealth), a.hasEnergy || b.hasEnergy,
                a.producedKwh + b.producedKwh, a.consumedKwh + b.consumedKwh, a.ratedKw + b.ratedKw,
                a.ratedProducedKwh + b.ratedProducedKwh, a.volumeM3 + b.volumeM3, a.pumpedConsumedKwh + b.pumpedConsumedKwh,
                a.storageChargedKwh + b.storageChargedKwh, a.storageDischargedKwh + b.storageDischargedKwh);
    }

    public FleetFigures figures() {
        return new FleetFigures(assets, online, stale, offline, alertingAssets, openWarning, openCritical,
                scored == 0 ? null : healthSum / scored, scored == 0 ? null : worstHealth,
                hasEnergy ? producedKwh : null, hasEnergy ? consumedKwh : null,
                hasEnergy && ratedKw > 0 ? ratedProducedKwh / (ratedKw * periodMs / 3_600_000.0) : null,
                hasEnergy && volumeM3 > 0 ? pumpedConsumedKwh / volumeM3 : null,
                hasEnergy && storageChargedKwh > 0 ? storageDischargedKwh / storageChargedKwh : null);
    }

    public Rollup toRollup() {
        return new Rollup(io.twinstream.schemas.SchemaVersions.ROLLUP, scope, key,
                java.time.Duration.ofMillis(periodMs).toString(), periodEnd - periodMs, periodEnd, figures());
    }
}
