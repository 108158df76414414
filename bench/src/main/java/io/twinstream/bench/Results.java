package io.twinstream.bench;

import java.util.List;
import java.util.Map;

/** Everything one benchmark run measured; written as JSON under bench/results/. */
record Results(
        String startedAt,
        Map<String, Object> machine,
        Map<String, String> settings,
        Throughput throughput,
        LiveMaximum liveMaximum,
        List<Latency> latency,
        List<Scale> scale) {

    /**
     * Pass-through ceiling versus full pipeline on the same preloaded data: the medians of alternating runs, and
     * each run's events/s in the order they ran; the median bytes each job's Kafka sinks wrote per input event
     * (its output topics' size on the broker: record batches as the producers compressed them); and each run's CPU
     * stolen from this VM by its neighbours, in cores ({@link CpuSteal}), and the CPU this JVM's threads took per
     * event, in microseconds by thread group ({@link ThreadCpu}).
     */
    record Throughput(long events, int assets, double passThroughEventsPerSecond, double pipelineEventsPerSecond,
                      double ratio, List<Double> passThroughRuns, List<Double> pipelineRuns,
                      double passThroughBytesOutPerEvent, double pipelineBytesOutPerEvent,
                      List<Double> passThroughStolenCores, List<Double> pipelineStolenCores,
                      List<Map<String, Double>> passThroughCpuMicrosPerEvent,
                      List<Map<String, Double>> pipelineCpuMicrosPerEvent) {}

    /**
     * The highest rate the live setup (pipeline, sender and output consumers on the same machine) sustained, over
     * {@code seconds}, with the sender holding the backlog under {@code backlogBound} readings.
     */
    record LiveMaximum(double eventsPerSecond, int assets, long backlogBound, double seconds) {}

    /**
     * Event → visible-to-read_committed latency at a fixed offered rate, in milliseconds; {@code readingsSentLate}
     * counts the readings of the measured interval that the sender sent more than 100 ms after their timestamp;
     * {@code checkpointDuration} is Flink's end-to-end checkpoint duration over the whole run (exactly-once output
     * becomes visible only when the checkpoint after it completes).
     */
    record Latency(String deliveryGuarantee, String checkpointInterval, double offeredEventsPerSecond,
                   double achievedEventsPerSecond, long readingsSentLate, int assets, Percentiles alert,
                   Percentiles snapshot, Percentiles checkpointDuration) {}

    /**
     * One fleet size on one state backend: {@code eventsPerSecond} is the median of {@code runs}, each round's events/s
     * in the order they ran (none in a results.json from before the bench ran rounds); the other figures are those of
     * the run nearest the median; {@code stolenCores} and {@code cpuMicrosPerEvent} as in {@link Throughput}.
     */
    record Scale(int assets, String stateBackend, long events, double eventsPerSecond, long checkpoints,
                 long checkpointBytes, long stateBytes, long checkpointMillis, long liveHeapBytes, long offHeapRssBytes,
                 double stolenCores, Map<String, Double> cpuMicrosPerEvent, List<Double> runs, String error) {}
}
