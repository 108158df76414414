package io.twinstream.jobs.rollup;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.flink.util.TimeUtils;

/**
 * How sites, asset types and the fleet are rolled up.
 *
 * @param periodsMs          tumbling periods, ascending ({@code rollup.periods}: 1 min, 1 h and 1 d)
 * @param stepMs             how often each site is brought up to date ({@code rollup.step}: 10 s)
 * @param latenessMs         how long a period's roll-up waits for late energy ({@code rollup.lateness}: 1 min)
 * @param idleAfterMs        a site with nothing applied for this long stops ticking ({@code rollup.site-idle-after}: 1 d)
 * @param siteAlertShare     share of a site's assets offline or alerting that opens a SITE_OUTAGE (0.5)
 * @param siteAlertClearShare share below which it resolves (0.25)
 * @param siteAlertMinAssets assets that must be affected for an outage (3)
 */
public record RollupSettings(long[] periodsMs, long stepMs, long latenessMs, long idleAfterMs, double siteAlertShare, double siteAlertClearShare,
        int siteAlertMinAssets) implements Serializable {

    public RollupSettings {
        periodsMs = periodsMs.clone();
        Arrays.sort(periodsMs);
        if (stepMs <= 0) {
            throw new IllegalArgumentException("rollup.step must be positive");
        }
        for (long p : periodsMs) {
            if (p <= 0 || p % stepMs != 0) {
                throw new IllegalArgumentException("rollup.periods: each period must be a positive multiple of "
                        + "rollup.step (" + stepMs + " ms), got " + p + " ms");
            }
        }
        if (latenessMs < 0 || latenessMs % stepMs != 0) {
            throw new IllegalArgumentException("rollup.lateness must be a multiple of rollup.step");
        }
        if (!(siteAlertClearShare <= siteAlertShare) || siteAlertShare <= 0 || siteAlertShare > 1) {
            throw new IllegalArgumentException("rollup.site-alert-share must be in (0, 1] and at least "
                    + "rollup.site-alert-clear-share");
        }
    }

    public static RollupSettings from(PipelineConfig c) {
        long[] periods = Arrays.stream(c.get(Key.ROLLUP_PERIODS).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).mapToLong(s -> TimeUtils.parseDuration(s).toMillis()).toArray();
        if (periods.length == 0) {
            throw new IllegalArgumentException("rollup.periods: at least one period");
        }
        return new RollupSettings(periods, c.millis(Key.ROLLUP_STEP), c.millis(Key.ROLLUP_LATENESS),
                c.millis(Key.SITE_IDLE_AFTER), c.decimal(Key.SITE_ALERT_SHARE),
                c.decimal(Key.SITE_ALERT_CLEAR_SHARE), c.integer(Key.SITE_ALERT_MIN_ASSETS));
    }

    public long longestPeriod() {
        return periodsMs[periodsMs.length - 1];
    }

    /** The step boundary after {@code time}: the end of the step that holds it. */
    public long boundaryAfter(long time) {
        return Math.floorDiv(time, stepMs) * stepMs + stepMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RollupSettings r && Arrays.equals(periodsMs, r.periodsMs) && stepMs == r.stepMs && latenessMs == r.latenessMs && idleAfterMs == r.idleAfterMs
                && siteAlertShare == r.siteAlertShare && siteAlertClearShare == r.siteAlertClearShare
                && siteAlertMinAssets == r.siteAlertMinAssets;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(periodsMs) * 31 + Long.hashCode(stepMs);
    }

    @Override
    public String toString() {
        return "RollupSettings" + Arrays.toString(periodsMs) + " step " + stepMs;
    }
}
