package io.twinstream.jobs.testing;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting on a condition instead of a fixed sleep, and a free local port, for the tests that start servers. */
public final class Probes {
    private Probes() {}

    /**
     * The first non-null, non-false value of {@code probe}, asked every {@code poll} until {@code timeout}; fails the
     * test naming {@code what} if none comes.
     */
    public static <T> T await(String what, Duration timeout, Duration poll, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.call();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(poll.toMillis());
        }
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
