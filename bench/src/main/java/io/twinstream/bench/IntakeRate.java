package io.twinstream.bench;

/**
 * The rate at which a job takes in a preloaded topic, from a count that Flink's REST API serves from its metric
 * fetcher: the count changes once per fetch, and the bench sees each change within one poll. The rate is taken
 * between the first count above zero and the last one below the total, both fetched while the job was consuming,
 * so neither start-up nor the idle time after the last record (up to a fetch interval) enters it. Whatever else the
 * bench reads at each poll (the CPU time of the VM and of each thread, {@link #atFirst} and {@link #atLast}) is taken
 * between the same two polls.
 *
 * @param <S> what is read at each poll
 */
final class IntakeRate<S> {
    private final long total;
    private long firstAt = -1;
    private double firstCount;
    private S atFirst;
    private long lastAt = -1;
    private double lastCount;
    private S atLast;
    private double seen;

    IntakeRate(long total) {
        this.total = total;
    }

    /** The count {@code n} as polled at {@code nanos}; a count the bench saw before adds nothing. */
    void poll(long nanos, double n) {
        poll(nanos, n, () -> null);
    }

    /**
     * The same, with a sample read at that poll: only for a new count below the total, which may become an endpoint
     * (once per metric fetch; reading every thread's CPU at each 200-ms poll would itself take CPU from the job).
     */
    void poll(long nanos, double n, java.util.function.Supplier<S> read) {
        if (n <= seen) {
            return;
        }
        seen = n;
        if (n >= total) {
            return;
        }
        S sample = read.get();
        if (firstAt < 0) {
            firstAt = nanos;
            firstCount = n;
            atFirst = sample;
        } else {
            lastAt = nanos;
            lastCount = n;
            atLast = sample;
        }
    }

    /** Highest count seen. */
    double count() {
        return seen;
    }

    /** Whether two counts were fetched while consuming, so there is a rate. */
    boolean measured() {
        return lastAt > firstAt;
    }

    /** Seconds between the first and the last count fetched while consuming. */
    double seconds() {
        return measured() ? (lastAt - firstAt) / 1e9 : 0;
    }

    /** Records taken in between the first and the last count fetched while consuming. */
    double records() {
        return measured() ? lastCount - firstCount : 0;
    }

    /** Records per second between the first and the last count fetched while consuming; 0 with fewer than two. */
    double perSecond() {
        return measured() ? records() / seconds() : 0;
    }

    /** The sample read with the first count above zero; null without a rate. */
    S atFirst() {
        return measured() ? atFirst : null;
    }

    /** The sample read with the last count below the total; null without a rate. */
    S atLast() {
        return measured() ? atLast : null;
    }
}
