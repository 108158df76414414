package io.twinstream.jobs.io;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.io.Serializable;
import java.util.function.LongSupplier;

/**
 * What a telemetry record may be before it is a dead letter, beyond its JSON Schema: its size, a plausible time and
 * sane identifiers.
 *
 * @param maxRecordBytes  larger records are OVERSIZED
 * @param maxFutureSkewMs a timestamp further than this ahead of the processing clock is FUTURE_TIMESTAMP: one device
 *                        with a wrong clock must not move a partition's watermark, or its asset's clock, for good
 * @param minTimestampMs  a timestamp before this is TIMESTAMP_TOO_OLD (a real-time clock reset to 1970)
 * @param maxIdLength     longest assetId, siteId or eventId; longer ones, or ones with a character outside
 *                        {@code [A-Za-z0-9._:/@+=#-]}, are INVALID_IDENTIFIER (they become keys, alert ids and SQL rows)
 * @param clock           the processing clock, epoch ms
 */
public record InputLimits(int maxRecordBytes, long maxFutureSkewMs, long minTimestampMs, int maxIdLength,
        ProcessingClock clock) implements Serializable {

    /** The processing clock; serializable, as the deserializer that holds it is shipped to the task managers. */
    public interface ProcessingClock extends LongSupplier, Serializable {}

    public static final ProcessingClock SYSTEM_CLOCK = System::currentTimeMillis;

    public static InputLimits from(PipelineConfig c) {
        return new InputLimits(c.integer(Key.MAX_RECORD_BYTES), c.millis(Key.MAX_FUTURE_SKEW),
                c.instantMillis(Key.MIN_TIMESTAMP), c.integer(Key.MAX_ID_LENGTH), SYSTEM_CLOCK);
    }

    public static InputLimits defaults() {
        return from(PipelineConfig.defaults());
    }

    public InputLimits withClock(ProcessingClock c) {
        return new InputLimits(maxRecordBytes, maxFutureSkewMs, minTimestampMs, maxIdLength, c);
    }

    public InputLimits withMaxRecordBytes(int bytes) {
        return new InputLimits(bytes, maxFutureSkewMs, minTimestampMs, maxIdLength, clock);
    }

    /** Whether {@code id} is a sane identifier: 1 to maxIdLength characters of the allowed set. */
    public boolean validIdentifier(String id) {
        int n = id.length();
        if (n == 0 || n > maxIdLength) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '/' || c == '@' || c == '+' || c == '=' || c == '#'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
