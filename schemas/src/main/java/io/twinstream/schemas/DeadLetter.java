package io.twinstream.schemas;

/**
 * A rejected input record with the reason it was rejected and where it came from.
 *
 * @param schemaVersion   contract version (see {@link SchemaVersions#DEAD_LETTER})
 * @param reasonCode      machine-readable reason
 * @param reason          human-readable detail (which field, which value)
 * @param sourceTopic     topic the record was read from
 * @param sourcePartition partition it was read from
 * @param sourceOffset    offset it was read from
 * @param key             Kafka key as UTF-8 text, or null
 * @param payload         the original value: as text if it was valid UTF-8, else base64
 * @param payloadEncoding {@code utf8} or {@code base64}
 * @param rejectedAt      event time of the record if known, else the Kafka record timestamp, epoch ms
 */
public record DeadLetter(
        int schemaVersion,
        RejectReason reasonCode,
        String reason,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        String payload,
        String payloadEncoding,
        long rejectedAt) {}
