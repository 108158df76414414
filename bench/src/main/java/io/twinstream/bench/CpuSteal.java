package io.twinstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the hypervisor gave to other guests ("steal" in {@code /proc/stat}), summed over all cores, in seconds
 * since boot. This machine is a VM whose neighbours take from under 0.1 to over 0.4 of its 2 cores at times, for
 * seconds to minutes: a run that lost 0.3 cores is not comparable with one that lost none, so each measured run
 * reports what it lost.
 */
final class CpuSteal {
    /** {@code /proc} counts CPU time in USER_HZ, 100 on every Linux architecture the JDK runs on. */
    static final double TICKS_PER_SECOND = 100;
    private static final Path STAT = Path.of("/proc/stat");

    private CpuSteal() {}

    /** Seconds stolen since boot, or NaN where there is no {@code /proc/stat}. */
    static double seconds() {
        try {
            for (String line : Files.readAllLines(STAT)) {
                if (line.startsWith("cpu ")) {
                    return ofCpuLine(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel too old to count steal
        }
        return Double.NaN;
    }

    /** The steal field (the 8th number) of {@code /proc/stat}'s aggregate "cpu" line, in seconds. */
    static double ofCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        return f.length > 8 ? Long.parseLong(f[8]) / TICKS_PER_SECOND : Double.NaN;
    }
}
