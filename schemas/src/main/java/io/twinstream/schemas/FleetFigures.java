package io.twinstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * What a group of twins (a site, an asset type, the fleet) looks like at one moment: assets by status, health, open
 * alerts by severity, and energy over a period where that applies.
 *
 * @param assets         twins in the group
 * @param online         ... whose status is ONLINE
 * @param stale          ... STALE
 * @param offline        ... OFFLINE
 * @param alertingAssets assets with at least one open alert
 * @param openWarning    open WARNING alerts of the group's assets
 * @param openCritical   open CRITICAL alerts
 * @param meanHealth     mean of the assets' health (1 - latest window score); null if none has been scored
 * @param worstHealth    lowest health of an asset; null if none has been scored
 * @param producedKwh    energy the group's producing assets delivered in the period (kWh); absent without energy sensors
 * @param consumedKwh    energy its consuming assets drew in the period (kWh); absent without energy sensors
 * @param capacityFactor energy produced by assets with a rated power / (their rated power x the period); absent without
 * @param specificEnergyKwhPerM3 energy consumed by assets that measure volume flow / the volume they moved
 * @param roundTripEfficiency    storage assets' discharge / their charge in the period; absent without charge
 */
public record FleetFigures(
        int assets,
        int online,
        int stale,
        int offline,
        int alertingAssets,
        int openWarning,
        int openCritical,
        @JsonSerialize(using = DerivedNumber.class) Double meanHealth,
        @JsonSerialize(using = DerivedNumber.class) Double worstHealth,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = DerivedNumber.class) Double producedKwh,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = DerivedNumber.class) Double consumedKwh,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = DerivedNumber.class) Double capacityFactor,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = DerivedNumber.class) Double specificEnergyKwhPerM3,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = DerivedNumber.class) Double roundTripEfficiency) {

    /** Figures without energy. */
    public FleetFigures(int assets, int online, int stale, int offline, int alertingAssets, int openWarning,
            int openCritical, Double meanHealth, Double worstHealth) {
        this(assets, online, stale, offline, alertingAssets, openWarning, openCritical, meanHealth, worstHealth, null,
                null, null, null, null);
    }
}
