package io.twinstream.bench;

/**
 * The rate at which a job takes in a preloaded topic, from a count that Flink's REST API serves from its metric
 * fetcher: the count changes once per fetch, and the bench sees each change within one poll. The rate is taken
 * between the first count above zero and the last one below the total, both fetched while the job was consuming,
 * so neither start-up nor the idle time after the last record (up to a fetch interval) enters it. A cumulative
 * counter read at each poll (the CPU time stolen from this VM) is taken between the same two polls.
 */
final class IntakeRate {
    private final long total;
    private long firstAt = -1;
    private double firstCount;
    private long lastAt = -1;
    private double lastCount;
    private double seen;
    private double counterAtFirst;
    private double counterAtLast;

    IntakeRate(long total) {
        this.total = total;
    }

    /** The count {@code n} as polled at {@code nanos}; a count the bench saw before adds nothing. */
    void poll(long nanos, double n) {
        poll(nanos, n, Double.NaN);
    }

    /** The same, with {@code counter} read at that poll. */
    void poll(long nanos, double n, double counter) {
        if (n <= seen) {
            return;
        }
        seen = n;
        if (n >= total) {
            return;
        }
        if (firstAt < 0) {
            firstAt = nanos;
            firstCount = n;
            counterAtFirst = counter;
        } else {
            lastAt = nanos;
            lastCount = n;
            counterAtLast = counter;
        }
    }

    /** Highest count seen. */
    double count() {
        return seen;
    }

    /** Records per second between the first and the last count fetched while consuming; 0 with fewer than two. */
    double perSecond() {
        return lastAt > firstAt ? (lastCount - firstCount) / ((lastAt - firstAt) / 1e9) : 0;
    }

    /** How fast the counter grew per second over the same interval; NaN without a rate or a counter. */
    double counterPerSecond() {
        return lastAt > firstAt ? (counterAtLast - counterAtFirst) / ((lastAt - firstAt) / 1e9) : Double.NaN;
    }
}
