package io.twinstream.generator;

import io.twinstream.schemas.Telemetry;

/**
 * One record the generator sends.
 *
 * @param key       Kafka key (the asset id)
 * @param value     the bytes sent
 * @param reading   the reading these bytes stand for (for corrupted records, the reading they were made from)
 * @param transport the transport fault applied, or null for a clean record
 */
public record GeneratedRecord(String key, byte[] value, Telemetry reading, TransportFault transport) {

    /** Whether the pipeline must accept this record into the twin (clean, out-of-order, or first copy). */
    public boolean acceptedByTwin() {
        return transport == null || transport == TransportFault.OUT_OF_ORDER;
    }
}
