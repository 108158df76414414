package io.twinstream.jobs.anomaly;

import io.twinstream.schemas.Detector;

/** One sensor's score for one reading, and why. */
public record SensorResult(double score, Detector detector, double observed, double expected) {}
