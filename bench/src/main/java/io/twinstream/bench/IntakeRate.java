package io.twinstream.bench;

/**
 * The rate at which a job takes in a preloaded topic, from a count that Flink's REST API serves from its metric
 * fetcher: the count changes once per fetch, and the bench sees each change within one poll. The rate is taken
 * between the first count above zero and the last one below the total, both fetched while the job was consuming,
 * so neither start-up nor the idle time after the last record (up to a fetch interval) enters it.
 */
final class IntakeRate {
    private final long total;
    private long firstAt = -1;
    private double firstCount;
    private long lastAt = -1;
    private double lastCount;
    private double seen;

    IntakeRate(long total) {
        this.total = total;
    }

    /** The count {@code n} as polled at {@code nanos}; a count the bench saw before adds nothing. */
    void poll(long nanos, double n) {
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
        } else {
            lastAt = nanos;
            lastCount = n;
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
}
