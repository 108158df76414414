package io.twinstream.launcher;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.AlertAction.Action;
import io.twinstream.schemas.CommandRequest;
import io.twinstream.schemas.ControlRecords;
import io.twinstream.schemas.DesiredState;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.TwinSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code bin/twinstream alerts ack|unack|assign|comment|silence|unsilence}, {@code bin/twinstream desired
 * set|clear} and {@code bin/twinstream command send}: an SRE's actions on alerts, an operator's desired state and
 * explicit commands, written to the topics the running job reads ({@code twin.alert-actions}, {@code twin.desired},
 * {@code twin.command-requests}; key = assetId). Each record is checked against its schema before
 * it is sent. The job answers on its own topics: an action on an alert that is not open is a dead letter there.
 */
public final class OperatorCommand {
    static final String USAGE = """
            usage: twinstream alerts ack|unack ALERT_ID [--by NAME] [--note TEXT]
                   twinstream alerts assign ALERT_ID --to NAME [--by NAME]
                   twinstream alerts comment ALERT_ID --note TEXT [--by NAME]
                   twinstream alerts silence --asset ID|--site ID --for 2h [--note TEXT] [--by NAME]
                   twinstream alerts unsilence --asset ID|--site ID [--by NAME]
                   twinstream desired set ASSET_ID PROPERTY=VALUE... [--by NAME]
                   twinstream desired clear ASSET_ID
                   twinstream command send ASSET_ID NAME [--request-id ID] [--ttl 5m] [--by NAME]
              (and any --kafka.bootstrap-servers H:P, --kafka.properties-file F, --topics.* NAME)""";

    private OperatorCommand() {}

    public static void main(String[] argv) throws Exception {
        int code = run(argv);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one command; 0 on success, 2 on a usage error (printed). */
    static int run(String[] argv) throws Exception {
        if (argv.length < 2 || List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            return argv.length < 2 && !List.of(argv).contains("--help") ? 2 : 0;
        }
        String what = argv[0] + " " + argv[1];
        try {
            List<String> positional = new ArrayList<>();
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 2; i < argv.length; i++) {
                if (argv[i].startsWith("--")) {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException(argv[i] + " needs a value");
                    }
                    options.put(argv[i].substring(2), argv[++i]);
                } else {
                    positional.add(argv[i]);
                }
            }
            String by = options.getOrDefault("by", System.getProperty("user.name", "unknown"));
            String note = options.get("note");
            Map<String, String> settings = new LinkedHashMap<>();
            options.forEach((k, v) -> {
                if (k.startsWith("kafka.") || k.startsWith("topics.")) {
                    settings.put(k, v);
                }
            });
            PipelineConfig config = PipelineConfig.of(settings);
            long now = System.currentTimeMillis();
            switch (what) {
                case "alerts ack", "alerts unack", "alerts assign", "alerts comment" -> {
                    String alertId = single(positional, "ALERT_ID");
                    Action action = Action.valueOf(argv[1].toUpperCase(java.util.Locale.ROOT));
                    String assignee = action == Action.ASSIGN ? required(options, "to") : null;
                    if (action == Action.COMMENT) {
                        required(options, "note");
                    }
                    AlertAction a = new AlertAction(SchemaVersions.ALERT_ACTION, assetOf(alertId), alertId, action, by,
                            now, note, assignee, null);
                    send(config, config.get(Key.TOPIC_ALERT_ACTIONS), Map.of(a.assetId(), checked(a)));
                    System.out.println(action + " " + alertId + " sent to " + config.get(Key.TOPIC_ALERT_ACTIONS));
                }
                case "alerts silence", "alerts unsilence" -> {
                    boolean silence = argv[1].equals("silence");
                    Long forMs = silence ? io.twinstream.generator.SensorGeneratorCli.parseDuration(
                            required(options, "for")).toMillis() : null;
                    Map<String, String> records = new TreeMap<>();
                    for (String asset : assets(config, options)) {
                        AlertAction a = new AlertAction(SchemaVersions.ALERT_ACTION, asset, null,
                                silence ? Action.SILENCE : Action.UNSILENCE, by, now, note, null, forMs);
                        records.put(asset, checked(a));
                    }
                    send(config, config.get(Key.TOPIC_ALERT_ACTIONS), records);
                    System.out.println((silence ? "silenced " + records.size() + " assets for "
                            + Duration.ofMillis(forMs) : "unsilenced " + records.size() + " assets") + ": "
                            + String.join(", ", records.keySet()));
                }
                case "desired set" -> {
                    if (positional.size() < 2) {
                        throw new IllegalArgumentException("desired set needs ASSET_ID and PROPERTY=VALUE");
                    }
                    String asset = positional.get(0);
                    Map<String, Double> desired = new TreeMap<>(current(config, asset));
                    for (String pair : positional.subList(1, positional.size())) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("expected PROPERTY=VALUE, got '" + pair + "'");
                        }
                        desired.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
                    }
                    DesiredState d = new DesiredState(SchemaVersions.DESIRED_STATE, asset, desired, now, by);
                    String json = Json.MAPPER.writeValueAsString(d);
                    ControlRecords.parseDesired(json.getBytes(StandardCharsets.UTF_8));
                    send(config, config.get(Key.TOPIC_DESIRED), Map.of(asset, json));
                    System.out.println("desired " + asset + " " + desired + " sent to " + config.get(Key.TOPIC_DESIRED));
                }
                case "command send" -> {
                    if (positional.size() != 2) {
                        throw new IllegalArgumentException("command send needs ASSET_ID and NAME");
                    }
                    Long ttl = options.containsKey("ttl") ? io.twinstream.generator.SensorGeneratorCli.parseDuration(
                            options.get("ttl")).toMillis() : null;
                    CommandRequest r = new CommandRequest(SchemaVersions.COMMAND_REQUEST, positional.get(0),
                            positional.get(1), options.get("request-id"), now, by, ttl);
                    String json = Json.MAPPER.writeValueAsString(r);
                    ControlRecords.parseRequest(json.getBytes(StandardCharsets.UTF_8));
                    send(config, config.get(Key.TOPIC_COMMAND_REQUESTS), Map.of(r.assetId(), json));
                    System.out.println(r.name() + " requested for " + r.assetId() + " on "
                            + config.get(Key.TOPIC_COMMAND_REQUESTS));
                }
                case "desired clear" -> {
                    String asset = single(positional, "ASSET_ID");
                    Map<String, String> tombstone = new LinkedHashMap<>();
                    tombstone.put(asset, null);
                    send(config, config.get(Key.TOPIC_DESIRED), tombstone);
                    System.out.println("desired state of " + asset + " cleared");
                }
                default -> throw new IllegalArgumentException("unknown command '" + what + "'");
            }
            return 0;
        } catch (IllegalArgumentException e) { // DefinitionException and NumberFormatException included
            System.err.println("twinstream " + argv[0] + ": " + e.getMessage());
            System.err.println(USAGE.lines().findFirst().orElse(""));
            return 2;
        }
    }

    /** The asset of an alert id ({@code ASSET/KIND/...}; an asset id may itself hold slashes). */
    static String assetOf(String alertId) {
        for (Alert.AlertKind kind : Alert.AlertKind.values()) {
            int at = alertId.indexOf("/" + kind + "/");
            if (at > 0) {
                return alertId.substring(0, at);
            }
        }
        throw new IllegalArgumentException("'" + alertId + "' is not an alert id (ASSET/KIND/...)");
    }

    /** {@code --asset ID}, or every asset the snapshot topic places at {@code --site ID}. */
    static List<String> assets(PipelineConfig config, Map<String, String> options) {
        if (options.containsKey("asset")) {
            return List.of(options.get("asset"));
        }
        String site = required(options, "site");
        TreeSet<String> assets = new TreeSet<>();
        TopicReader.latestByKey(TopicReader.readAll(config.kafkaProperties(), config.get(Key.TOPIC_SNAPSHOTS), true),
                bytes -> bytes == null ? null : read(bytes, TwinSnapshot.class)).forEach((asset, s) -> {
                    if (s != null && site.equals(s.siteId())) {
                        assets.add(asset);
                    }
                });
        if (assets.isEmpty()) {
            throw new IllegalArgumentException("no twin at site '" + site + "' in " + config.get(Key.TOPIC_SNAPSHOTS));
        }
        return List.copyOf(assets);
    }

    /** The asset's desired values in force (the newest record of the compacted topic), to merge a change into. */
    static Map<String, Double> current(PipelineConfig config, String asset) {
        DesiredState d = TopicReader.latestByKey(TopicReader.readAll(config.kafkaProperties(),
                config.get(Key.TOPIC_DESIRED), true), bytes -> bytes == null ? null : read(bytes, DesiredState.class))
                .get(asset);
        return d == null ? Map.of() : d.desired();
    }

    private static String checked(AlertAction a) throws Exception {
        String json = Json.MAPPER.writeValueAsString(a);
        ControlRecords.parseAction(json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String single(List<String> positional, String what) {
        if (positional.size() != 1) {
            throw new IllegalArgumentException("expected one " + what + ", got " + positional);
        }
        return positional.get(0);
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static void send(PipelineConfig config, String topic, Map<String, String> records) throws Exception {
        DefinitionsCommand.publish(config, topic, records);
    }
}
