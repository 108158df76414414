package io.twinstream.jobs.anomaly;

/**
 * The score of one reading (the highest over its sensors), for callers that need one score per
 * input row rather than per window: the CSV backtest.
 */
public record SampleScore(String assetId, long seq, long timestamp, double score) {}
