package io.twinstream.jobs.oncall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A server a test needs from a Debian package (prometheus, prometheus-alertmanager): found on the PATH, or installed
 * with apt-get when the tests run as root on a Debian-like machine. Where neither works the test is skipped with a
 * message that says what is missing; it never passes without the server.
 */
public final class DebianTool {
    private DebianTool() {}

    /** The path of {@code binary}, installing {@code debianPackage} if it is missing; skips the test if it cannot. */
    public static Path require(String binary, String debianPackage) {
        Path found = find(binary);
        if (found != null) {
            return found;
        }
        Path aptGet = Path.of("/usr/bin/apt-get");
        if (!Files.isExecutable(aptGet) || !"root".equals(System.getProperty("user.name"))) {
            Assumptions.abort(binary + " is not installed and cannot be installed here (needs apt-get as root): "
                    + "install the Debian package " + debianPackage + " to run this test");
        }
        String log = apt("install", "-y", "--no-install-recommends", debianPackage);
        if (find(binary) == null) {
            log += apt("update");
            log += apt("install", "-y", "--no-install-recommends", debianPackage);
        }
        found = find(binary);
        if (found == null) {
            Assumptions.abort(binary + " is not installed and apt-get could not install " + debianPackage + ":\n"
                    + tail(log, 2_000));
        }
        return found;
    }

    static Path find(String binary) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return Path.of(dir, binary);
            }
        }
        return null;
    }

    private static String apt(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/apt-get", "-q"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            return String.join(" ", command) + "\n" + new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + ": interrupted\n";
        }
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : s.substring(s.length() - chars);
    }
}
