package io.twinstream.generator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Live counters of a run; safe to read from another thread for a progress line. */
public final class GeneratorStats {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong faultsStarted = new AtomicLong();
    private final AtomicLongArray byTransportFault = new AtomicLongArray(TransportFault.values().length);
    private final long wallStartNanos = System.nanoTime();
    private volatile long simulatedTime;

    void recordSent(GeneratedRecord r) {
        sent.incrementAndGet();
        if (r.transport() != null) {
            byTransportFault.incrementAndGet(r.transport().ordinal());
        }
    }

    void faultStarted() {
        faultsStarted.incrementAndGet();
    }

    void simulatedTime(long t) {
        simulatedTime = t;
    }

    public long sent() {
        return sent.get();
    }

    public long faultsStarted() {
        return faultsStarted.get();
    }

    public long simulatedTime() {
        return simulatedTime;
    }

    public Map<TransportFault, Long> transportFaults() {
        Map<TransportFault, Long> m = new EnumMap<>(TransportFault.class);
        for (TransportFault f : TransportFault.values()) {
            m.put(f, byTransportFault.get(f.ordinal()));
        }
        return m;
    }

    /** Records the pipeline must reject (dead letters), by construction. */
    public long expectedRejected() {
        long n = 0;
        for (TransportFault f : TransportFault.values()) {
            if (f.rejected()) {
                n += byTransportFault.get(f.ordinal());
            }
        }
        return n;
    }

    public double achievedRate() {
        double s = (System.nanoTime() - wallStartNanos) / 1e9;
        return s <= 0 ? 0 : sent.get() / s;
    }

    public String progressLine() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("generator: %,d records (%,.0f/s) | sim time %s | sensor faults %d",
                sent(), achievedRate(), java.time.Instant.ofEpochMilli(simulatedTime), faultsStarted()));
        long transport = 0;
        for (TransportFault f : TransportFault.values()) {
            transport += byTransportFault.get(f.ordinal());
        }
        if (transport > 0) {
            b.append(" | transport");
            for (TransportFault f : TransportFault.values()) {
                long n = byTransportFault.get(f.ordinal());
                if (n > 0) {
                    b.append(' ').append(f.name().toLowerCase()).append('=').append(n);
                }
            }
        }
        return b.toString();
    }
}
