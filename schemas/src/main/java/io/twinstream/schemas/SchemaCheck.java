package io.twinstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Set;

/** Checks a JSON document against one of the contract's JSON Schemas (networknt's validator). */
final class SchemaCheck {
    private final JsonSchema schema;

    SchemaCheck(String file) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream("/twinstream/schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing schema " + file);
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One record's JSON tree; a DefinitionException if it is not JSON or empty. */
    static JsonNode tree(byte[] json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new DefinitionException("not valid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new DefinitionException("empty record");
        }
        return node;
    }

    /** The first violation (by position in the document), as "field: what is wrong", or null if valid. */
    String firstViolation(JsonNode node) {
        Set<ValidationMessage> errors = schema.validate(node);
        return errors.stream()
                .min(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getMessage))
                .map(m -> {
                    String where = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
                    String message = m.getMessage().replaceFirst("^\\$[^:]*: ", "");
                    return (where.isEmpty() ? "" : where + ": ") + message;
                })
                .orElse(null);
    }
}
