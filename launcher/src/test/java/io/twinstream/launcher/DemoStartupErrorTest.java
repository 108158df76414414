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
 * {@code bin/twinstream demo} with a wrong argument answers in a line, exits 2, and leaves no process behind (it used to
 * print a NumberFormatException and hang, holding its ports). Runs the demo's main in a JVM of its own.
 */
class DemoStartupErrorTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--gen.assets, abc, invalid argument",
        "--web-port, x, takes a whole number",
        "--event-time.max-future-skew, banana, invalid argument",
    })
    void aWrongArgumentIsOneLineAndExitCode2(String option, String value, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedPipeline.class.getName(), option, value));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the demo exited by itself; stderr: %s", err).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err).contains("twinstream demo:").contains(message).doesNotContain("Exception in thread")
                .doesNotContain("\tat ");
        assertThat(err.lines().filter(l -> !l.isBlank()).count()).as(err).isLessThanOrEqualTo(2);
        assertThat(p.descendants().filter(ProcessHandle::isAlive).count()).isZero();
    }
}
