package io.twinstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SqlScriptsTest {

    @Test
    void splitsOnSemicolonsOutsideStringsAndDropsComments() {
        String sql = "-- a comment; with a semicolon\nCREATE TABLE t (a STRING) WITH ('x' = 'a;b', 'y' = 'it''s');\n"
                + "SELECT a FROM t -- trailing; comment\n;\n  ";
        assertThat(SqlScripts.userStatements(sql)).containsExactly(
                "CREATE TABLE t (a STRING) WITH ('x' = 'a;b', 'y' = 'it''s')", "SELECT a FROM t");
    }

    @Test
    void fillsPlaceholdersAndRefusesUnknownOnes() {
        assertThat(SqlScripts.render("'topic' = '${topics.alerts}'", Map.of("topics.alerts", "a.b")))
                .isEqualTo("'topic' = 'a.b'");
        assertThatThrownBy(() -> SqlScripts.render("${nope}", Map.of())).hasMessageContaining("${nope}");
    }

    @Test
    void kafkaClientSettingsBecomeQuotedPropertiesOptionsReadingCommittedOnly() {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", "b:9092");
        client.setProperty("sasl.jaas.config", "x password='p';");
        assertThat(SqlScripts.kafkaOptions(client)).contains("'properties.bootstrap.servers' = 'b:9092',")
                .contains("'properties.sasl.jaas.config' = 'x password=''p'';',")
                .contains("'properties.isolation.level' = 'read_committed',");
    }

    @Test
    void everyShippedScriptRendersFromTheDefaultConfiguration() {
        PipelineConfig c = PipelineConfig.defaults().with(Key.TOPIC_SNAPSHOTS, "my.snapshots");
        List<String> tables = SqlScripts.statements("tables.sql", SqlScripts.values(c, true));
        assertThat(tables).hasSize(6).allMatch(s -> s.startsWith("CREATE TABLE"));
        assertThat(tables.get(0)).contains("'topic' = 'my.snapshots'", "'scan.bounded.mode' = 'latest-offset'");
        assertThat(SqlScripts.statements("tables.sql", SqlScripts.values(c, false)).get(0))
                .contains("'scan.bounded.mode' = 'unbounded'");
        assertThat(SqlScripts.statements("postgres-sink.sql", SqlScripts.values(c, false)))
                .filteredOn(s -> s.startsWith("INSERT INTO")).hasSize(4);
        assertThat(SqlScripts.statements("postgres-schema.sql", Map.of())).hasSize(25)
                .filteredOn(s -> s.startsWith("ALTER TABLE")).hasSize(17);
        PipelineConfig quote = c.with(Key.POSTGRES_PASSWORD, "it's");
        assertThat(SqlScripts.statements("postgres-sink.sql", SqlScripts.values(quote, false)).get(0))
                .contains("'password' = 'it''s'");
        for (String name : SqlQuery.EXAMPLES) {
            assertThat(SqlScripts.userStatements(SqlQuery.example(name))).hasSize(1);
            assertThat(SqlQuery.sortHint(SqlQuery.example(name))).isNotBlank();
        }
    }

    @Test
    void thePostgresUrlSendsStringsUntypedForTheJsonColumns() {
        assertThat(PostgresSinkJob.url(PipelineConfig.defaults()))
                .isEqualTo("jdbc:postgresql://localhost:5432/twinstream?stringtype=unspecified");
        assertThat(PostgresSinkJob.url(PipelineConfig.defaults().with(Key.POSTGRES_URL, "jdbc:postgresql://h/db?ssl=true")))
                .endsWith("?ssl=true&stringtype=unspecified");
    }
}
