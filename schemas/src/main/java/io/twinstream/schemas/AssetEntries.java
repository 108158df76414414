package io.twinstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads registry entries: from the registry topic (one JSON entry per record) and from files
 * ({@code assets publish}: a JSON list, or CSV with a header naming the fields; {@code tags} separated by {@code |}).
 * A bad entry is refused with a message naming the source, the entry and the field, checked against
 * {@code asset-entry.v1.schema.json}.
 */
public final class AssetEntries {
    private static final SchemaCheck SCHEMA = new SchemaCheck("asset-entry.v1.schema.json");

    private AssetEntries() {}

    /** One record of the registry topic. */
    public static AssetEntry parseRecord(byte[] json) {
        return check("", SchemaCheck.tree(json));
    }

    public static AssetEntry check(String where, JsonNode node) {
        String id = node.isObject() && node.path("assetId").isTextual() ? node.get("assetId").asText() : null;
        String prefix = where + (id == null ? "asset" : "asset '" + id + "'") + ": ";
        String violation = SCHEMA.firstViolation(node);
        if (violation != null) {
            throw new DefinitionException(prefix + violation);
        }
        if (node.path("schemaVersion").asInt(1) > SchemaVersions.ASSET_ENTRY) {
            throw new DefinitionException(prefix + "schemaVersion " + node.get("schemaVersion") + " is newer than "
                    + SchemaVersions.ASSET_ENTRY);
        }
        if (node.path("latitude").isNull() != node.path("longitude").isNull()
                || node.path("latitude").isMissingNode() != node.path("longitude").isMissingNode()) {
            throw new DefinitionException(prefix + "latitude and longitude go together");
        }
        try {
            if (node.path("commissionedOn").isTextual()) {
                java.time.LocalDate.parse(node.get("commissionedOn").asText());
            }
            return Json.MAPPER.treeToValue(node, AssetEntry.class);
        } catch (java.time.format.DateTimeParseException e) {
            throw new DefinitionException(prefix + "commissionedOn: not a date: " + node.get("commissionedOn").asText());
        } catch (JsonProcessingException e) {
            throw new DefinitionException(prefix + e.getOriginalMessage());
        }
    }

    /** The entries of a JSON file (one entry or a list) or a CSV file (by extension). */
    public static List<AssetEntry> readFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DefinitionException(file + ": " + (Files.exists(file) ? e.getMessage() : "no such file"));
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            nodes.addAll(csvToJson(file, text));
        } else {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new DefinitionException(file + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (root != null && root.isArray()) {
                root.forEach(nodes::add);
            } else if (root != null) {
                nodes.add(root);
            }
        }
        List<AssetEntry> entries = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            entries.add(check(file + ": entry " + (i + 1) + ", ", nodes.get(i)));
        }
        return entries;
    }

    /** CSV with a header row; empty cells are absent fields, numbers stay numbers, tags split on '|'. */
    static List<JsonNode> csvToJson(Path file, String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new DefinitionException(file + ": empty");
        }
        String[] header = splitCsv(lines.get(0));
        List<JsonNode> out = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = splitCsv(lines.get(r));
            if (cells.length > header.length) {
                throw new DefinitionException(file + ": line " + (r + 1) + ": " + cells.length + " cells for "
                        + header.length + " columns");
            }
            ObjectNode o = Json.MAPPER.createObjectNode();
            for (int c = 0; c < cells.length; c++) {
                String name = header[c].trim();
                String v = cells[c].trim();
                if (v.isEmpty()) {
                    continue;
                }
                switch (name) {
                    case "latitude", "longitude", "schemaVersion" -> {
                        try {
                            if (name.equals("schemaVersion")) {
                                o.put(name, Integer.parseInt(v));
                            } else {
                                o.put(name, Double.parseDouble(v));
                            }
                        } catch (NumberFormatException e) {
                            o.put(name, v); // the schema check names it
                        }
                    }
                    case "tags" -> {
                        ArrayNode tags = o.putArray("tags");
                        for (String t : v.split("\\|")) {
                            if (!t.isBlank()) {
                                tags.add(t.trim());
                            }
                        }
                    }
                    default -> o.put(name, v);
                }
            }
            out.add(o);
        }
        return out;
    }

    /** One CSV line; double quotes around a cell keep its commas, "" inside them is a quote. */
    static String[] splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(String[]::new);
    }
}
