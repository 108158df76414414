package io.twinstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads asset models from files (JSON or YAML, one model or a list per file, a directory of such files) and from
 * the models topic, and refuses a bad one with a message that names the file, the model and the field at fault:
 * first against {@code asset-model.v1.schema.json}, then what a schema cannot say (max above min, alert limits
 * inside the range, sensor names unique).
 */
public final class ModelDefinitions {
    private static final SchemaCheck SCHEMA = new SchemaCheck("asset-model.v1.schema.json");
    private static final ObjectMapper YAML = new YAMLMapper();

    private ModelDefinitions() {}

    /** The built-in models with those of {@code fileOrDir} added (a type in both: the file's); the built-ins if null. */
    public static AssetModels load(Path fileOrDir) {
        AssetModels builtIn = AssetModels.builtIn();
        return fileOrDir == null ? builtIn : builtIn.with(read(fileOrDir));
    }

    /** The models of a file, or of every .json, .yaml and .yml file in a directory (in name order). */
    public static List<AssetModel> read(Path fileOrDir) {
        if (!Files.exists(fileOrDir)) {
            throw new DefinitionException(fileOrDir + ": no such file or directory");
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            try (Stream<Path> list = Files.list(fileOrDir)) {
                list.filter(p -> isDefinitionFile(p.getFileName().toString())).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new DefinitionException(fileOrDir + ": " + e.getMessage());
            }
            if (files.isEmpty()) {
                throw new DefinitionException(fileOrDir + ": no .json, .yaml or .yml files in the directory");
            }
        } else {
            files.add(fileOrDir);
        }
        Map<String, Path> seen = new LinkedHashMap<>();
        List<AssetModel> models = new ArrayList<>();
        for (Path f : files) {
            for (AssetModel m : readFile(f)) {
                Path before = seen.put(m.type(), f);
                if (before != null) {
                    throw new DefinitionException(f + ": model '" + m.type() + "' is also defined in " + before);
                }
                models.add(m);
            }
        }
        return models;
    }

    static boolean isDefinitionFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** One file: a model or a list of models, JSON or YAML (by extension; YAML also reads JSON). */
    public static List<AssetModel> readFile(Path file) {
        JsonNode root;
        try {
            byte[] bytes = Files.readAllBytes(file);
            root = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? Json.MAPPER.readTree(bytes) : YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new DefinitionException(file + ": not valid " + (file.toString().endsWith(".json") ? "JSON" : "YAML")
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DefinitionException(file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new DefinitionException(file + ": empty");
        }
        List<JsonNode> entries = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(entries::add);
        } else {
            entries.add(root);
        }
        Set<String> types = new HashSet<>();
        List<AssetModel> models = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            AssetModel m = check(file + ": " + (entries.size() > 1 ? "entry " + (i + 1) + ", " : ""), entries.get(i));
            if (!types.add(m.type())) {
                throw new DefinitionException(file + ": model '" + m.type() + "' is defined twice");
            }
            models.add(m);
        }
        return models;
    }

    /** A model record from the models topic (JSON, one model). */
    public static AssetModel parseRecord(byte[] json) {
        return check("", SchemaCheck.tree(json));
    }

    /** Checks one model's JSON tree; {@code where} prefixes the message (the file and entry). */
    public static AssetModel check(String where, JsonNode node) {
        String name = node.isObject() && node.path("type").isTextual() ? node.get("type").asText() : null;
        String prefix = where + (name == null ? "model" : "model '" + name + "'") + ": ";
        String violation = SCHEMA.firstViolation(node);
        if (violation != null) {
            throw new DefinitionException(prefix + violation);
        }
        AssetModel m;
        try {
            m = Json.MAPPER.treeToValue(node, AssetModel.class);
        } catch (JsonProcessingException e) {
            throw new DefinitionException(prefix + e.getOriginalMessage());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < m.sensors().size(); i++) {
            SensorSpec s = m.sensors().get(i);
            String at = prefix + "sensors[" + i + "] ('" + s.name() + "')";
            if (!names.add(s.name())) {
                throw new DefinitionException(at + ".name: declared twice");
            }
            if (!(s.max() > s.min())) {
                throw new DefinitionException(at + ".max: must be greater than min (" + s.min() + ")");
            }
            if (s.alertBelow() != null && (s.alertBelow() < s.min() || s.alertBelow() > s.max())) {
                throw new DefinitionException(at + ".alertBelow: must lie in [min, max]");
            }
            if (s.alertAbove() != null && (s.alertAbove() < s.min() || s.alertAbove() > s.max())) {
                throw new DefinitionException(at + ".alertAbove: must lie in [min, max]");
            }
            if (s.alertBelow() != null && s.alertAbove() != null && !(s.alertBelow() < s.alertAbove())) {
                throw new DefinitionException(at + ".alertAbove: must be greater than alertBelow");
            }
        }
        for (int i = 0; i < m.settable().size(); i++) {
            SettableProperty p = m.settable().get(i);
            String at = prefix + "settable[" + i + "] ('" + p.name() + "')";
            if (!names.add(p.name())) {
                throw new DefinitionException(at + ".name: declared twice (as a sensor or a settable property)");
            }
            if (!(p.max() > p.min())) {
                throw new DefinitionException(at + ".max: must be greater than min (" + p.min() + ")");
            }
        }
        EnergySpec e = m.energy();
        if (e != null) {
            if (e.power().isEmpty() == (e.counter() == null)) {
                throw new DefinitionException(prefix + "energy: give either power (sensors) or counter, not both");
            }
            for (String sensor : e.sensors()) {
                if (m.sensor(sensor) == null) {
                    throw new DefinitionException(prefix + "energy: '" + sensor + "' is not a sensor of the model");
                }
            }
        }
        return m;
    }
}
