package io.twinstream.analytics;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL files shipped in {@code sql/} (tables.sql, postgres-sink.sql, postgres-schema.sql, queries/*.sql),
 * with their {@code ${...}} placeholders filled in from the pipeline configuration.
 */
public final class SqlScripts {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9.-]+)}");

    private SqlScripts() {}

    /** Placeholder values: topics, Kafka client settings as {@code 'properties.*'} options, PostgreSQL settings. */
    public static Map<String, String> values(PipelineConfig config, boolean bounded) {
        Map<String, String> v = new LinkedHashMap<>();
        // every placeholder of the shipped files stands inside a quoted SQL string
        for (Key k : Key.values()) {
            v.put(k.name, quoted(config.get(k)));
        }
        v.put("kafka.properties", kafkaOptions(config.kafkaProperties()));
        v.put("scan.bounded-mode", bounded ? "latest-offset" : "unbounded");
        return v;
    }

    /** One {@code 'properties.<key>' = '<value>',} line per client setting; sinks are transactional, so read_committed. */
    static String kafkaOptions(Properties client) {
        Map<String, String> options = new TreeMap<>();
        client.forEach((k, val) -> options.put(k.toString(), val.toString()));
        options.putIfAbsent("isolation.level", "read_committed");
        StringBuilder b = new StringBuilder();
        options.forEach((k, val) -> b.append("'properties.").append(k).append("' = ").append(literal(val)).append(",\n  "));
        return b.toString();
    }

    static String literal(String s) {
        return "'" + quoted(s) + "'";
    }

    /** The text of a SQL string literal's content: single quotes doubled. */
    static String quoted(String s) {
        return s.replace("'", "''");
    }

    /** The statements of a classpath resource under {@code sql/}, comments removed and placeholders filled in. */
    public static List<String> statements(String resource, Map<String, String> values) {
        return split(render(read(resource), values));
    }

    /** The statements of an analyst's own SQL text (comments removed; no placeholders). */
    public static List<String> userStatements(String sql) {
        return split(stripComments(sql));
    }

    public static String read(String resource) {
        try (InputStream in = SqlScripts.class.getResourceAsStream("/sql/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no SQL file sql/" + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops {@code --} comments (outside string literals) and fills in every placeholder; unknown ones are an error. */
    public static String render(String sql, Map<String, String> values) {
        String uncommented = stripComments(sql);
        Matcher m = PLACEHOLDER.matcher(uncommented);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (!inString && c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Splits on semicolons outside string literals; blank statements are dropped. */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inString = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                inString = !inString;
            }
            if (c == ';' && !inString) {
                add(statements, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder s) {
        String t = s.toString().strip();
        if (!t.isEmpty()) {
            statements.add(t);
        }
    }
}
