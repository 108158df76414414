package io.twinstream.jobs.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
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
 * on bad input. The JSON is parsed whole before any field is read, so broken syntax is always
 * {@link RejectReason#MALFORMED_JSON} and never mistaken for a type error met earlier in the text.
 */
public final class TelemetryParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final AssetModels models;
    private final int maxRecordBytes;
    private transient ObjectReader reader;

    public TelemetryParser(AssetModels models, int maxRecordBytes) {
        this.models = models;
        this.maxRecordBytes = maxRecordBytes;
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
        if (bytes.length > maxRecordBytes) {
            return Result.reject(RejectReason.OVERSIZED,
                    "record of " + bytes.length + " bytes exceeds input.max-record-bytes=" + maxRecordBytes);
        }
        JsonNode root;
        try {
            if (reader == null) {
                reader = Json.MAPPER.reader();
            }
            root = reader.readTree(bytes);
        } catch (JsonProcessingException e) {
            return Result.reject(RejectReason.MALFORMED_JSON, e.getOriginalMessage());
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
        String eventId = textField(root, "eventId");
        String assetId = textField(root, "assetId");
        String assetType = textField(root, "assetType");
        String siteId = textField(root, "siteId");
        long timestamp = longField(root, "timestamp");
        long seq = longField(root, "seq");
        if (timestamp < 0 || seq < 0) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "timestamp and seq must not be negative");
        }
        JsonNode readings = root.get("readings");
        if (readings == null || !readings.isObject() || readings.isEmpty()) {
            throw new Violation(RejectReason.SCHEMA_VIOLATION, "readings must be a non-empty object");
        }
        AssetModel model = models.get(assetType);
        if (model == null) {
            throw new Violation(RejectReason.UNKNOWN_ASSET_TYPE, "unknown assetType '" + assetType + "'");
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
            if (model.sensor(e.getKey()) == null) {
                throw new Violation(RejectReason.UNKNOWN_SENSOR,
                        assetType + " declares no sensor '" + e.getKey() + "'");
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
