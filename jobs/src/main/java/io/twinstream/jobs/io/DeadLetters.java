package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.Telemetry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds dead letters that keep the original bytes (as text when they are UTF-8, else base64). */
public final class DeadLetters {
    private DeadLetters() {}

    public static DeadLetter of(RejectReason code, String reason, String topic, int partition, long offset,
            byte[] key, byte[] payload, long rejectedAt) {
        String text = utf8OrNull(payload);
        return new DeadLetter(SchemaVersions.DEAD_LETTER, code, reason, topic, partition, offset,
                key == null ? null : new String(key, StandardCharsets.UTF_8),
                text != null ? text : Base64.getEncoder().encodeToString(payload == null ? new byte[0] : payload),
                text != null ? "utf8" : "base64", rejectedAt);
    }

    /**
     * A reading that parsed but was rejected later (late, sequence too old). Its payload is the
     * reading written back as JSON (same fields and values; the order of sensors in {@code readings}
     * may differ from the original); topic, partition and offset point at the original bytes.
     */
    public static DeadLetter ofReading(RejectReason code, String reason, Ingested in) {
        Telemetry t = in.telemetry();
        byte[] payload;
        try {
            payload = Json.MAPPER.writeValueAsBytes(t);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new DeadLetter(SchemaVersions.DEAD_LETTER, code, reason, in.topic(), in.partition(), in.offset(),
                t.assetId(), new String(payload, StandardCharsets.UTF_8), "utf8", t.timestamp());
    }

    /**
     * A control record (desired state, acknowledgement) that parsed but the twin refused: its payload is the record's
     * JSON as it came; {@code time} is the record's own event time.
     */
    public static DeadLetter ofControl(RejectReason code, String reason, Ingested in, long time) {
        return new DeadLetter(SchemaVersions.DEAD_LETTER, code, reason, in.topic(), in.partition(), in.offset(),
                in.assetId(), in.registration(), "utf8", time);
    }

    private static String utf8OrNull(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
