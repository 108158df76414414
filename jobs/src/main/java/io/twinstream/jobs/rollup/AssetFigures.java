package io.twinstream.jobs.rollup;

import io.twinstream.schemas.AssetStatus;

/**
 * One asset as its site's roll-up holds it: from its latest snapshot, and its open alerts by severity.
 *
 * @param status  null until its first snapshot (an alert came first): then it is not counted as an asset yet
 * @param ratedKw its rated power (0 if its model declares none): the capacity its group's capacity factor counts
 */
public record AssetFigures(String assetType, AssetStatus status, Double health, int openWarning, int openCritical,
        double ratedKw) {

    static AssetFigures empty(String assetType) {
        return new AssetFigures(assetType, null, null, 0, 0, 0);
    }

    boolean affected() {
        return status == AssetStatus.OFFLINE || openWarning + openCritical > 0;
    }

    AssetFigures withSnapshot(String type, AssetStatus s, Double h, double rated) {
        return new AssetFigures(type, s, h, openWarning, openCritical, rated);
    }

    AssetFigures withAlerts(int dWarning, int dCritical) {
        return new AssetFigures(assetType, status, health, openWarning + dWarning, openCritical + dCritical, ratedKw);
    }
}
