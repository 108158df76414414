package io.twinstream.jobs.rollup;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.TwinSnapshot;

/**
 * What the roll-ups need of one twin snapshot or one alert event, flat (it crosses the keyBy by site). A snapshot
 * gives the asset's status and health; an alert event opens, changes or closes one of its alerts; an energy record
 * carries what the asset produced and consumed in one bucket of event time.
 *
 * @param siteId       the site (the registry's where the asset is registered)
 * @param assetId      the asset
 * @param assetType    its type
 * @param time         event time: the snapshot's time, or the alert event's
 * @param status       the asset's status (snapshots), else null
 * @param health       its health (snapshots), null before its first score
 * @param energyStart  start of the energy bucket this record carries (energy records), else 0: its energy belongs to
 *                     the period holding that time
 * @param producedKwh  energy the asset produced in that bucket (energy records), else 0
 * @param consumedKwh  energy it consumed in that bucket, else 0
 * @param ratedKw      the asset's rated power (snapshots), or the rated power its produced energy counts against (energy
 *                     records); 0 if its model declares none
 * @param volumeM3     volume pumped in the bucket (energy records of a model with a volume-flow sensor)
 * @param pumped       whether the energy record's model measures volume (its consumption counts for kWh per m³)
 * @param storage      whether the energy record is a STORAGE asset's (charge and discharge)
 * @param alertId      the alert (alert events), else null
 * @param severity     the alert's severity
 * @param alertOpen    whether the alert is open after this event
 */
public record RollupInput(String siteId, String assetId, String assetType, long time, AssetStatus status, Double health,
        long energyStart, double producedKwh, double consumedKwh, double ratedKw, double volumeM3, boolean pumped,
        boolean storage, String alertId, Alert.Severity severity, boolean alertOpen) {

    /** Site of assets that name none. */
    public static final String NO_SITE = "(none)";

    public static RollupInput of(TwinSnapshot s) {
        return new RollupInput(site(s.siteId()), s.assetId(), s.assetType(), s.snapshotTime(), s.status(), s.health(),
                0, 0, 0, s.energy() == null || s.energy().ratedKw() == null ? 0 : s.energy().ratedKw(), 0, false, false,
                null, null, false);
    }

    public static RollupInput of(Alert a) {
        return new RollupInput(site(a.siteId()), a.assetId(), a.assetType(), a.updatedAt(), null, null, 0, 0, 0, 0, 0, false, false,
                a.alertId(), a.severity(), a.state() != Alert.AlertState.RESOLVED);
    }

    /** Energy of one asset over one bucket ({@code energyStart} to {@code time}), written when the bucket closed. */
    public static RollupInput energy(String siteId, String assetId, String assetType, long closedAt, long bucketStart,
            double producedKwh, double consumedKwh, double ratedKw, double volumeM3, boolean pumped, boolean storage) {
        return new RollupInput(site(siteId), assetId, assetType, closedAt, null, null, bucketStart, producedKwh,
                consumedKwh, ratedKw, volumeM3, pumped, storage, null, null, false);
    }

    public boolean isAlert() {
        return alertId != null;
    }

    public boolean isSnapshot() {
        return status != null;
    }

    private static String site(String siteId) {
        return siteId == null || siteId.isEmpty() ? NO_SITE : siteId;
    }
}
