package io.twinstream.jobs.alert;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.io.Serializable;

/**
 * The alert lifecycle's hysteresis.
 *
 * @param raiseScore     a window at or above this score counts toward raising
 * @param raiseWindows   consecutive such windows that raise an alert
 * @param resolveScore   a window below this score counts toward resolving
 * @param resolveWindows consecutive such windows that resolve it
 * @param criticalScore  a window at or above this score (or a physical range violation) makes it CRITICAL
 * @param rebaselineAfterMs an anomaly incident open this long in event time becomes the new normal: it resolves and
 *                       the asset's baseline is learned again (a permanent change is one incident, not many)
 */
public record AlertSettings(double raiseScore, int raiseWindows, double resolveScore, int resolveWindows,
        double criticalScore, long rebaselineAfterMs) implements Serializable {

    public AlertSettings {
        if (resolveScore > raiseScore) {
            throw new IllegalArgumentException("alert.resolve-score must not exceed alert.raise-score");
        }
    }

    public static AlertSettings from(PipelineConfig c) {
        return new AlertSettings(c.decimal(Key.RAISE_SCORE), c.integer(Key.RAISE_WINDOWS),
                c.decimal(Key.RESOLVE_SCORE), c.integer(Key.RESOLVE_WINDOWS), c.decimal(Key.CRITICAL_SCORE),
                c.millis(Key.REBASELINE_AFTER));
    }
}
