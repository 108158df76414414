package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bin/twinstream demo}, {@code backtest} and {@code evaluate-csv} answer a wrong argument in a line, exit 2, and
 * leave no process behind (the demo used to
 * print a NumberFormatException and hang, holding its ports). Each runs in a JVM of its own.
 */
class CommandLineErrorTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--gen.assets, abc, invalid argument",
        "--web-port, x, takes a whole number",
        "--event-time.max-future-skew, banana, invalid argument",
    })
    void aWrongArgumentIsOneLineAndExitCode2(String option, String value, String message) throws Exception {
        assertOneLineAndExitCode2(List.of(EmbeddedPipeline.class.getName(), option, value), "twinstream demo:", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "backtest --input /nonexistent/dir --output /tmp/out | no such file or directory",
        "backtest --input /tmp | --input DIR and --output DIR are required",
        "evaluate-csv --input /tmp --label-column x --output /tmp/y | writes no files",
        "evaluate-csv --input | needs a value",
    })
    void theCsvCommandsAnswerAWrongArgumentInALineWithExitCode2(String args, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of(SeriesPlots.class.getName()));
        command.addAll(List.of(args.trim().split(" ")));
        assertOneLineAndExitCode2(command, "twinstream " + args.trim().split(" ")[0] + ":", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "models publish /nonexistent/models.yaml | /nonexistent/models.yaml: no such file or directory",
        "models validate ../docs/examples/chiller-assets.csv | string found, object expected",
        "assets publish ../docs/examples/chiller.yaml | not valid JSON",
        "models import-dtdl ../docs/examples/chiller.yaml | not valid JSON",
    })
    void theModelAndRegistryCommandsRefuseABadFileInALineWithExitCode2(String args, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of(DefinitionsCommand.class.getName()));
        command.addAll(List.of(args.trim().split(" ")));
        assertOneLineAndExitCode2(command, "twinstream " + args.trim().split(" ")[0] + ":", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "io.twinstream.jobs.TwinPipelineJob --models /nonexistent.yaml | twinstream job: | /nonexistent.yaml: no such file",
        "io.twinstream.launcher.Evaluation --seed x | twinstream evaluate: | x",
        "io.twinstream.generator.SensorGeneratorCli --rate fast | twinstream generator: | fast",
        "io.twinstream.launcher.EmbeddedPipeline --models ../docs/examples/chiller-assets.csv | twinstream demo: | chiller-assets.csv",
        "io.twinstream.jobs.oncall.AlertmanagerBridgeJob --url ftp://am:9093 | twinstream alertmanager: | not an http:// or https:// URL",
        "io.twinstream.jobs.oncall.AlertmanagerBridgeJob --kafka.bootstrap-servers x:1 | twinstream alertmanager: | --url http://HOST:9093",
    })
    void aBadModelFileOrNumberIsOneLineForEveryCommand(String args, String prefix, String message) throws Exception {
        assertOneLineAndExitCode2(List.of(args.trim().split(" ")), prefix.trim(), message.trim());
    }

    /** An invalid query names what is wrong, where (line and column), and the tables there are; no broker needed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM nosuch | line 1, column 15 | the tables: alert_events, alerts, rollups, site_states, twin_history, twins",
        "SELECT assetId, FROM twins | line 1, column 17 | alerts",
        "SELECT nosuchcolumn FROM twins | Column 'nosuchcolumn' not found | line 1, column 8",
    })
    void anInvalidSqlQueryIsOneLineWithWhereAndTheTables(String query, String where, String tables) throws Exception {
        assertOneLineAndExitCode2(List.of("io.twinstream.analytics.SqlQuery", "--query", query.trim()),
                "twinstream sql:", where.trim());
        assertOneLineAndExitCode2(List.of("io.twinstream.analytics.SqlQuery", "--query", query.trim()),
                "twinstream sql:", tables.trim());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--file /nonexistent.sql | /nonexistent.sql: no such file",
        "--example nosuch | no example nosuch",
        "--sort | --sort needs a value",
        "--kafka.bootstrap-servers x:1 | give --query, --file or --example",
    })
    void aWrongSqlArgumentIsOneLine(String args, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of("io.twinstream.analytics.SqlQuery"));
        command.addAll(List.of(args.trim().split(" ")));
        assertOneLineAndExitCode2(command, "twinstream sql:", message.trim());
    }

    static void assertOneLineAndExitCode2(List<String> mainAndArgs, String prefix, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the demo exited by itself; stderr: %s", err).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err).contains(prefix).contains(message).doesNotContain("Exception in thread")
                .doesNotContain("\tat ");
        assertThat(err.lines().filter(l -> !l.isBlank()).count()).as(err).isLessThanOrEqualTo(2);
        assertThat(p.descendants().filter(ProcessHandle::isAlive).count()).isZero();
    }
}
