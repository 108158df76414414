package io.twinstream.jobs.alert;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.SensorScore;
import java.util.HashMap;
import java.util.Map;

/**
 * One asset's alerting state: open incidents, hysteresis counters, what the twin reads now. Part of the asset's
 * keyed value, written by {@code AssetStateSerializer}: a new field goes there too.
 */
public class AssetAlerts {
    public String assetType;
    public String siteId;
    public Map<String, Double> currentValues = new HashMap<>();
    public Double health;
    public Map<String, SensorScore> maintenance;

    public int highStreak;
    public int lowStreak;
    public long firstHighWindowStart;

    /** Open anomaly incident, or null. */
    public String anomalyId;
    public long anomalyStart;
    public Alert.Severity anomalySeverity;

    /** Open offline incident, or null. */
    public String offlineId;
    public long offlineStart;

    /**
     * The newest reading already scored when the baseline was last learned again: windows holding readings up to it
     * were judged against the old baseline and do not count toward raising ({@code Long.MIN_VALUE}: never).
     */
    public long rebaselinedThrough = Long.MIN_VALUE;

    public AssetAlerts() {}

    public int openAlerts() {
        return (anomalyId != null ? 1 : 0) + (offlineId != null ? 1 : 0);
    }
}
