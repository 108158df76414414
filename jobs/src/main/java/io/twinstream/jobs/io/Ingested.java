package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Telemetry;

/**
 * What the telemetry source emits per input record: either a valid reading or its dead letter,
 * and in both cases where the record came from, so later stages can still dead-letter it.
 *
 * @param telemetry the parsed, validated reading; null if rejected
 * @param rejected  the dead letter; null if valid
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 */
public record Ingested(Telemetry telemetry, DeadLetter rejected, String topic, int partition, long offset) {

    public static Ingested valid(Telemetry t, String topic, int partition, long offset) {
        return new Ingested(t, null, topic, partition, offset);
    }

    public static Ingested rejected(DeadLetter d) {
        return new Ingested(null, d, d.sourceTopic(), d.sourcePartition(), d.sourceOffset());
    }

    public boolean isValid() {
        return telemetry != null;
    }
}
