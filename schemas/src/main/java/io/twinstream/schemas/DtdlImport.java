package io.twinstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a DTDL v3 interface (the model language of Azure Digital Twins) into a twinstream model where the mapping is
 * clear: each Telemetry content with a numeric schema becomes a sensor, its semantic unit a unit; the interface's
 * {@code @id} gives type and version. What has no counterpart is dropped and listed: Properties, Commands,
 * Relationships, Components, Telemetry of non-numeric schemas, units without a known abbreviation (kept as DTDL
 * spells them). DTDL carries neither a valid range nor a sampling interval: the range of each sensor is left for
 * the user to fill in (the result is refused by {@link ModelDefinitions} until then, which the report says), and the
 * interval is the caller's.
 */
public final class DtdlImport {
    private DtdlImport() {}

    /** The imported model as YAML text, and what was dropped or must be completed. */
    public record Result(String type, int version, String yaml, List<String> dropped, List<String> toComplete) {}

    /** DTDL semantic units to the abbreviations the built-in models use. */
    static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("degreeCelsius", "degC"), Map.entry("degreeFahrenheit", "degF"), Map.entry("kelvin", "K"),
            Map.entry("watt", "W"), Map.entry("kilowatt", "kW"), Map.entry("megawatt", "MW"),
            Map.entry("kilowattHour", "kWh"), Map.entry("megawattHour", "MWh"), Map.entry("joule", "J"),
            Map.entry("volt", "V"), Map.entry("ampere", "A"), Map.entry("milliampere", "mA"),
            Map.entry("hertz", "Hz"), Map.entry("revolutionPerMinute", "rpm"), Map.entry("percent", "%"),
            Map.entry("pascal", "Pa"), Map.entry("kilopascal", "kPa"), Map.entry("bar", "bar"),
            Map.entry("poundPerSquareInch", "psi"), Map.entry("metrePerSecond", "m/s"),
            Map.entry("millimetrePerSecond", "mm/s"), Map.entry("metrePerSecondSquared", "m/s2"),
            Map.entry("cubicMetrePerHour", "m3/h"), Map.entry("cubicMetrePerSecond", "m3/s"),
            Map.entry("litrePerSecond", "L/s"), Map.entry("litrePerHour", "L/h"), Map.entry("metre", "m"),
            Map.entry("millimetre", "mm"), Map.entry("kilogram", "kg"), Map.entry("second", "s"),
            Map.entry("beatPerMinute", "bpm"), Map.entry("degreeOfArc", "deg"), Map.entry("lux", "lx"),
            Map.entry("decibel", "dB"), Map.entry("ampereHour", "Ah"));

    static final List<String> NUMERIC = List.of("double", "float", "integer", "long");

    public static Result convert(JsonNode dtdl, long samplingIntervalMs) {
        JsonNode iface = dtdl.isArray() && !dtdl.isEmpty() ? dtdl.get(0) : dtdl;
        if (!"Interface".equals(iface.path("@type").asText())) {
            throw new DefinitionException("not a DTDL Interface (its @type is '" + iface.path("@type").asText() + "')");
        }
        String id = iface.path("@id").asText("");
        if (!id.startsWith("dtmi:")) {
            throw new DefinitionException("the interface has no dtmi @id");
        }
        String path = id.substring(5, id.contains(";") ? id.indexOf(';') : id.length());
        String name = path.substring(path.lastIndexOf(':') + 1);
        String type = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        int version = id.contains(";") ? Integer.parseInt(id.substring(id.indexOf(';') + 1).replaceAll("\\..*", "")) : 1;
        List<String> dropped = new ArrayList<>();
        List<String> toComplete = new ArrayList<>();
        StringBuilder sensors = new StringBuilder();
        if (dtdl.isArray() && dtdl.size() > 1) {
            dropped.add((dtdl.size() - 1) + " further interface(s) in the file (one model per interface: import each)");
        }
        if (iface.has("extends")) {
            dropped.add("extends " + iface.get("extends") + " (inherited contents: import the base interface too)");
        }
        for (JsonNode c : iface.path("contents")) {
            List<String> types = new ArrayList<>();
            if (c.path("@type").isArray()) {
                c.path("@type").forEach(t -> types.add(t.asText()));
            } else {
                types.add(c.path("@type").asText());
            }
            String content = c.path("name").asText("?");
            if (!types.contains("Telemetry")) {
                dropped.add(types.get(0) + " '" + content + "' (twinstream models hold telemetry only)");
                continue;
            }
            String schema = c.path("schema").isTextual() ? c.get("schema").asText() : "a complex schema";
            if (!NUMERIC.contains(schema)) {
                dropped.add("Telemetry '" + content + "' of " + schema + " (only numbers are sensors)");
                continue;
            }
            String dtdlUnit = c.path("unit").asText("");
            String unit = UNITS.getOrDefault(dtdlUnit, dtdlUnit.isEmpty() ? "1" : dtdlUnit);
            if (dtdlUnit.isEmpty()) {
                toComplete.add(content + ": no unit in DTDL (written as \"1\")");
            } else if (!UNITS.containsKey(dtdlUnit)) {
                toComplete.add(content + ": unit '" + dtdlUnit + "' kept as DTDL spells it");
            }
            toComplete.add(content + ": valid range (min, max) - DTDL has none");
            String description = text(c, "description");
            sensors.append("  - name: ").append(quote(content)).append('\n')
                    .append("    unit: ").append(quote(unit)).append('\n')
                    .append("    min: 0    # TODO: the valid range (DTDL has none)\n")
                    .append("    max: 0\n");
            if (description != null) {
                sensors.append("    description: ").append(quote(description)).append('\n');
            }
        }
        if (sensors.length() == 0) {
            throw new DefinitionException("interface " + id + " has no numeric Telemetry: nothing to import");
        }
        StringBuilder yaml = new StringBuilder()
                .append("# imported from DTDL interface ").append(id).append('\n')
                .append("type: ").append(quote(type)).append('\n')
                .append("version: ").append(version).append('\n');
        String description = text(iface, "description");
        if (description == null) {
            description = text(iface, "displayName");
        }
        if (description != null) {
            yaml.append("description: ").append(quote(description)).append('\n');
        }
        yaml.append("samplingIntervalMs: ").append(samplingIntervalMs).append("    # DTDL has no interval\n")
                .append("sensors:\n").append(sensors);
        return new Result(type, version, yaml.toString(), dropped, toComplete);
    }

    public static Result convert(java.nio.file.Path file, long samplingIntervalMs) {
        try {
            return convert(Json.MAPPER.readTree(java.nio.file.Files.readAllBytes(file)), samplingIntervalMs);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DefinitionException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DefinitionException(file + ": " + e.getMessage());
        }
    }

    /** A DTDL string, or the English (or first) entry of a localized map. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isObject() && !v.isEmpty()) {
            return v.has("en") ? v.get("en").asText() : v.elements().next().asText();
        }
        return null;
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
