package io.twinstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and checks the records operators and devices send back: desired states ({@code desired-state.v1.schema.json})
 * command acknowledgements ({@code command-ack.v1.schema.json}) and operators' alert actions
 * ({@code alert-action.v1.schema.json}). A record that breaks its schema, or has a newer
 * {@code schemaVersion} than this release reads, is a {@link DefinitionException} with the reason.
 */
public final class ControlRecords {
    private static final SchemaCheck DESIRED = new SchemaCheck("desired-state.v1.schema.json");
    private static final SchemaCheck ACK = new SchemaCheck("command-ack.v1.schema.json");
    private static final SchemaCheck ACTION = new SchemaCheck("alert-action.v1.schema.json");
    private static final SchemaCheck REQUEST = new SchemaCheck("command-request.v1.schema.json");

    private ControlRecords() {}

    public static DesiredState parseDesired(byte[] json) {
        return parse(json, DESIRED, SchemaVersions.DESIRED_STATE, DesiredState.class);
    }

    public static CommandAck parseAck(byte[] json) {
        return parse(json, ACK, SchemaVersions.COMMAND_ACK, CommandAck.class);
    }

    public static CommandRequest parseRequest(byte[] json) {
        CommandRequest r = parse(json, REQUEST, SchemaVersions.COMMAND_REQUEST, CommandRequest.class);
        if (Command.SET.equals(r.name())) {
            throw new DefinitionException("'set' is sent for desired values (twin.desired), not requested");
        }
        return r;
    }

    public static AlertAction parseAction(byte[] json) {
        AlertAction a = parse(json, ACTION, SchemaVersions.ALERT_ACTION, AlertAction.class);
        boolean onAlert = a.action() != AlertAction.Action.SILENCE && a.action() != AlertAction.Action.UNSILENCE;
        if (onAlert && (a.alertId() == null || a.alertId().isBlank())) {
            throw new DefinitionException(a.action() + " needs an alertId");
        }
        if (a.action() == AlertAction.Action.ASSIGN && (a.assignee() == null || a.assignee().isBlank())) {
            throw new DefinitionException("ASSIGN needs an assignee");
        }
        if (a.action() == AlertAction.Action.SILENCE && a.silenceForMs() == null) {
            throw new DefinitionException("SILENCE needs silenceForMs");
        }
        return a;
    }

    private static <T> T parse(byte[] json, SchemaCheck schema, int version, Class<T> type) {
        JsonNode node = SchemaCheck.tree(json);
        String violation = schema.firstViolation(node);
        if (violation != null) {
            throw new DefinitionException(violation);
        }
        if (node.path("schemaVersion").asInt() > version) {
            throw new DefinitionException("schemaVersion " + node.get("schemaVersion") + " is newer than " + version);
        }
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new DefinitionException(e.getOriginalMessage());
        }
    }
}
