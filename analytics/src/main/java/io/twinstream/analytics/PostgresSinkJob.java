package io.twinstream.analytics;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Keeps PostgreSQL tables {@code twin_snapshots} and {@code alerts} equal to the current twins and alerts, for BI
 * tools: the SQL of {@code sql/tables.sql} and {@code sql/postgres-sink.sql} (Flink's JDBC connector, upserts by
 * primary key), checkpointed like the pipeline, so a failure replays from the last checkpoint and rewrites the
 * same rows.
 *
 * <pre>
 * twinstream postgres-sink [--postgres.url jdbc:postgresql://HOST:5432/DB] [--postgres.user U] [--kafka.bootstrap-servers H:P]
 *                          [--kafka.bounded true] [--config FILE] [--any.pipeline.key VALUE]
 * </pre>
 */
public final class PostgresSinkJob {
    public static final String NAME = "twinstream-postgres-sink";

    private PostgresSinkJob() {}

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineConfig.fromArgs(args, System.getenv());
        System.out.print(config.describe());
        if (config.flag(Key.POSTGRES_CREATE_TABLES)) {
            createTables(config);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config).execute(NAME).await();
    }

    /** Runs sql/postgres-schema.sql (CREATE ... IF NOT EXISTS) against the database. */
    public static void createTables(PipelineConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(config), config.get(Key.POSTGRES_USER),
                config.get(Key.POSTGRES_PASSWORD)); Statement s = c.createStatement()) {
            for (String ddl : SqlScripts.statements("postgres-schema.sql", Map.of())) {
                s.execute(ddl);
            }
        }
    }

    /** The two upserting INSERTs, ready to execute; sources are bounded when {@code kafka.bounded} is true. */
    public static JobStatements build(StreamExecutionEnvironment env, PipelineConfig config) {
        env.configure(TwinPipeline.flinkConfiguration(config));
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.local-time-zone", "UTC");
        Map<String, String> values = new java.util.HashMap<>(SqlScripts.values(config, config.flag(Key.BOUNDED)));
        values.put(Key.POSTGRES_URL.name, SqlScripts.quoted(url(config)));
        StatementSet inserts = tables.createStatementSet();
        for (String sql : SqlScripts.statements("tables.sql", values)) {
            tables.executeSql(sql);
        }
        for (String sql : SqlScripts.statements("postgres-sink.sql", values)) {
            if (sql.regionMatches(true, 0, "INSERT", 0, 6)) {
                inserts.addInsertSql(sql);
            } else {
                tables.executeSql(sql);
            }
        }
        return new JobStatements(tables, inserts);
    }

    /** The job's tables and statements; {@link #execute} submits them as one job. */
    public record JobStatements(StreamTableEnvironment tables, StatementSet inserts) {
        public TableResult execute(String name) {
            tables.getConfig().set("pipeline.name", name);
            return inserts.execute();
        }
    }

    /** The JSON columns are jsonb, filled from text parameters: the driver must send strings untyped. */
    static String url(PipelineConfig config) {
        String url = config.get(Key.POSTGRES_URL);
        if (url.contains("stringtype=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified";
    }
}
