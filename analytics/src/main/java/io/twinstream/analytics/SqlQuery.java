package io.twinstream.analytics;

import io.twinstream.jobs.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * Runs one analyst's SQL query over the current twins and alerts (the tables of {@code sql/tables.sql}) and
 * prints the answer as a table. The scans stop at the end offsets of when the query starts.
 *
 * <pre>
 * twinstream sql (--query "SELECT ..." | --file my.sql | --example fleet-health-by-site) [--sort "col [desc], ..."]
 *                [--kafka.bootstrap-servers HOST:PORT] [--config FILE] [--any.pipeline.key VALUE]
 * </pre>
 * Without {@code kafka.bootstrap-servers} it asks localhost:9092, where {@code twinstream demo} runs its broker.
 */
public final class SqlQuery {
    public static final List<String> EXAMPLES = List.of("fleet-health-by-site", "top-anomalous-assets",
            "open-alerts-by-severity", "mean-time-to-resolve", "predicted-failures", "assets-by-site-and-parent",
            "unacknowledged-critical-alerts", "site-rollups-last-hour");
    private static final Pattern SORT_LINE = Pattern.compile("(?m)^--\\s*sort:\\s*(.+)$");

    private SqlQuery() {}

    /** A wrong argument, a missing file or an invalid query is one line on stderr and exit code 2. */
    public static void main(String[] args) throws Exception {
        try {
            query(args);
        } catch (IllegalArgumentException | java.io.IOException e) {
            String message = e instanceof java.nio.file.NoSuchFileException ? e.getMessage() + ": no such file"
                    : e.getMessage();
            System.err.println("twinstream sql: " + message);
            System.exit(2);
        }
    }

    private static void query(String[] args) throws Exception {
        String query = null;
        String sort = null;
        String asOf = null;
        String asset = null;
        String site = null;
        List<String> pipelineArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].startsWith("--") && !args[i].equals("--help") && !args[i].equals("-h") && value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--query" -> query = args[++i];
                case "--file" -> query = Files.readString(Path.of(args[++i]));
                case "--example" -> query = example(args[++i]);
                case "--sort" -> sort = args[++i];
                case "--as-of" -> asOf = args[++i];
                case "--asset" -> asset = args[++i];
                case "--site" -> site = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: twinstream sql (--query SQL | --file FILE | --example NAME) [--sort SPEC] "
                            + "[--kafka.bootstrap-servers HOST:PORT] [pipeline settings]\n"
                            + "       twinstream sql --as-of TIME [--asset ID | --site ID]   twins as they were at TIME "
                            + "(ISO-8601 or epoch ms), from the history\nexamples: " + EXAMPLES);
                    return;
                }
                default -> {
                    pipelineArgs.add(args[i]);
                    if (value != null) {
                        pipelineArgs.add(args[++i]);
                    }
                }
            }
        }
        if (asOf != null) {
            if (query != null) {
                throw new IllegalArgumentException("--as-of builds its own query: leave out --query, --file and --example");
            }
            query = asOf(PipelineConfig.epochMillis(asOf, "--as-of"), asset, site);
        } else if (asset != null || site != null) {
            throw new IllegalArgumentException("--asset and --site go with --as-of");
        }
        if (query == null) {
            throw new IllegalArgumentException("give --query, --file or --example (one of " + EXAMPLES + ")");
        }
        PipelineConfig config = PipelineConfig.fromArgs(pipelineArgs.toArray(String[]::new), System.getenv());
        run(config, query).sorted(sort != null ? sort : sortHint(query)).print(System.out);
    }

    /**
     * The twins as they were at {@code time}: per asset, its newest history row at or before it; one asset's, one
     * site's (by the site it had then) or all.
     */
    public static String asOf(long time, String asset, String site) {
        if (asset != null && site != null) {
            throw new IllegalArgumentException("--as-of takes --asset or --site, not both");
        }
        String filter = asset != null ? " AND assetId = " + literal(asset) : site != null ? " AND siteId = " + literal(site) : "";
        return "-- sort: assetId\n"
                + "SELECT assetId, siteId, assetType, status, health, openAlerts, reason, snapshotTime, snapshotAt\n"
                + "FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY assetId ORDER BY snapshotTime DESC) AS rn\n"
                + "      FROM twin_history WHERE snapshotTime <= " + time + filter + ")\n"
                + "WHERE rn = 1";
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A shipped example query, by name (sql/queries/NAME.sql). */
    public static String example(String name) {
        if (!EXAMPLES.contains(name)) {
            throw new IllegalArgumentException("no example " + name + "; the examples are " + EXAMPLES);
        }
        return SqlScripts.read("queries/" + name + ".sql");
    }

    /** The display order a query file asks for in a {@code -- sort: ...} comment, or null. */
    static String sortHint(String sql) {
        Matcher m = SORT_LINE.matcher(sql);
        return m.find() ? m.group(1).trim() : null;
    }

    /** Registers the twin and alert tables and runs {@code query} to the end of the topics. */
    public static QueryResult run(PipelineConfig config, String query) throws Exception {
        TableEnvironment tables = tableEnvironment();
        for (String ddl : SqlScripts.statements("tables.sql", SqlScripts.values(config, true))) {
            tables.executeSql(ddl);
        }
        List<String> statements = SqlScripts.userStatements(query);
        if (statements.size() != 1) {
            throw new IllegalArgumentException("expected one query, got " + statements.size() + " statements");
        }
        try {
            return QueryResult.collect(tables.executeSql(statements.get(0)));
        } catch (org.apache.flink.table.api.ValidationException | org.apache.flink.table.api.SqlParserException e) {
            throw new IllegalArgumentException(problem(e) + " (the tables: " + String.join(", ", tables.listTables())
                    + ")", e);
        }
    }

    /** What Flink's planner says is wrong, with its line and column, without the wrapping. */
    static String problem(Throwable e) {
        String best = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("line ")) {
                best = t.getMessage();
            }
        }
        String first = best == null ? e.toString() : best.lines().findFirst().orElse(best).strip();
        return first.replaceFirst("^SQL (validation|parse) failed\\.\\s*", "");
    }

    static TableEnvironment tableEnvironment() {
        Configuration c = new Configuration();
        // small answers over a few partitions: one slot is enough and starts fastest
        c.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        c.setString("table.local-time-zone", "UTC");
        return TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(c).build());
    }
}
