package io.twinstream.jobs.command;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.schemas.SettableProperty;
import java.io.Serializable;

/**
 * Defaults for settable properties that do not set their own.
 *
 * @param commandTtlMs a command not applied this long after it was sent expires ({@code commands.ttl})
 * @param driftAfterMs disagreement with no command on its way for longer than this is a drift ({@code desired.drift-after})
 */
public record ControlSettings(long commandTtlMs, long driftAfterMs) implements Serializable {

    /** The documented defaults ({@code commands.ttl} 2 min, {@code desired.drift-after} 1 min). */
    public static final ControlSettings DEFAULTS = from(PipelineConfig.defaults());

    public static ControlSettings from(PipelineConfig c) {
        return new ControlSettings(c.millis(Key.COMMAND_TTL), c.millis(Key.DRIFT_AFTER));
    }

    long ttl(SettableProperty p) {
        return p.commandTtlMs() != null ? p.commandTtlMs() : commandTtlMs;
    }

    long driftAfter(SettableProperty p) {
        return p.driftAfterMs() != null ? p.driftAfterMs() : driftAfterMs;
    }
}
