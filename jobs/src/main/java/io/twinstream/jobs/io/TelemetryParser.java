package io.twinstream.jobs.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.Telemetry;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns untrusted bytes into a valid {@link Telemetry} or a precise reason why not. Never throws
 * on bad input. Whether the asset's type and sensors are known is decided by the twin operator, which holds the
 * models in force (they change at runtime) and the asset's registry entry (which may give the type). The JSON is parsed whole before any field is read, so broken syntax is always
 * {@link RejectReason#MALFORMED_JSON} and never mistaken for a type error met earlier in the text.
 */
public final class TelemetryParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final InputLimits limits;
    private transient ObjectReader reader;

    public TelemetryParser(InputLimits limits) {
        this.limits = limits;
    }

    /** Either {@code telemetry} or {@code reason} is set. */
    public record Result(Telemetry telemetry, RejectReason reason, String detail) {
        static Result reject(RejectReason reason, String detail) {
            return new Result(null, reason, detail);
        }
    }

    public Result parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Result.reject(RejectReason.MALFORMED_JSON, "empty record");
        }
        if (bytes.length > limits.maxRecordBytes()) {
            return Result.reject(RejectReason.OVERSIZED,
                    "record of " + bytes.length + " bytes exceeds input.max-record-bytes=" + limits.maxRecordBytes());
        }
        JsonNode root;
        try {
            if (reader == null) {
                // a key twice in one object: parsers disagree on which one wins, so the record means nothing sure
                reader = Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            }
            root = reader.readTree(bytes);
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            return Result.reject(message.startsWith("Duplicate field") ? RejectReason.DUPLICATE_KEY
                    : RejectReason.MALFORMED_JSON, message);
        } catch (IOException e) {
            return Result.reject(RejectReason.MALFORMED_JSON, String.valueOf(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return Result.reject(RejectReason.MALFORMED_JSON, "not a JSON object");
        }
        try {
            return validate(root);
        } catch (Violation v) {
            return Result.reject(v.reason, v.getMessage());
        }
    }

    private Result validate(JsonNode root) throws Violation {
        int version = intField(root, "schemaVersion");
        if (version < 1 || version > SchemaVersions.TELEMETRY) {
            throw new Violation(RejectReason.UNSUPPORTED_SCHEMA_VERSION,
                    "schemaVersion " + version + " not in 1.." + SchemaVersions.TELEMETRY);
        }
        String eventId = identifier(root, "eventId");
        String assetId = identifier(root, "assetId");
        String assetType = root.hasNonNull("assetType") ? textField(root, "assetType") : null;
        String siteId = root.hasNonNull("siteId") ? identifier(root, "siteId") : null;
        long timestamp = longField(root, "timestamp");
        long seq = longField(root, "seq");
        if (timestamp < 0 || seq < 0) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "timestamp and seq must not be negative");
        }
        if (timestamp < limits.minTimestampMs()) {
            throw new Violation(RejectReason.TIMESTAMP_TOO_OLD, "timestamp " + timestamp
                    + " is before event-time.min-timestamp (" + java.time.Instant.ofEpochMilli(limits.minTimestampMs())
                    + ")");
        }
        long now = limits.clock().getAsLong();
        if (timestamp - now > limits.maxFutureSkewMs()) {
            throw new Violation(RejectReason.FUTURE_TIMESTAMP, "timestamp " + java.time.Instant.ofEpochMilli(timestamp)
                    + " is " + (timestamp - now) / 1000 + " s ahead of the processing clock (event-time.max-future-skew "
                    + limits.maxFutureSkewMs() / 1000 + " s)");
        }
        JsonNode readings = root.get("readings");
        if (readings == null || !readings.isObject() || readings.isEmpty()) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "readings must be a non-empty object");
        }
        Map<String, Double> values = new LinkedHashMap<>(readings.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = readings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isNumber()) {
                throw new Violation(RejectReason.SCHEMA_VIOLATION,
                        "reading '" + e.getKey() + "' is " + v.getNodeType() + ", not a number");
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                throw new Violation(RejectReason.SCHEMA_VIOLATION, "reading '" + e.getKey() + "' is not finite");
            }
            values.put(e.getKey(), d);
        }
        return new Result(new Telemetry(version, eventId, assetId, assetType, siteId, timestamp, seq, values),
                null, null);
    }

    private static JsonNode required(JsonNode root, String name) throws Violation {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "missing required field '" + name + "'");
        }
        return n;
    }

    private static String textField(JsonNode root, String name) throws Violation {
        JsonNode n = required(root, name);
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "'" + name + "' must be a non-empty string");
        }
        return n.asText();
    }

    private String identifier(JsonNode root, String name) throws Violation {
        String id = textField(root, name);
        if (!limits.validIdentifier(id)) {
            throw new Violation(RejectReason.INVALID_IDENTIFIER, "'" + name + "' must be 1 to " + limits.maxIdLength()
                    + " characters of [A-Za-z0-9._:/@+=#-], got " + id.length() + " characters starting '"
                    + id.substring(0, Math.min(40, id.length())) + "'");
        }
        return id;
    }

    private static long longField(JsonNode root, String name) throws Violation {
        JsonNode n = required(root, name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "'" + name + "' must be an integer, got " + n);
        }
        return n.longValue();
    }

    private static int intField(JsonNode root, String name) throws Violation {
        JsonNode n = required(root, name);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "'" + name + "' must be an integer, got " + n);
        }
        return n.intValue();
    }

    /** Control flow for a rejected record; no stack trace, it's expected input. */
    private static final class Violation extends Exception {
        final RejectReason reason;

        Violation(RejectReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
