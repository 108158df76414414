package io.twinstream.schemas;

/** Sensor faults the generator injects and labels; the ground truth the evaluation matches alerts to. */
public enum FaultKind {
    /** One or two readings far off the signal. */
    SPIKE,
    /** A growing offset on one sensor. */
    DRIFT,
    /** One sensor repeats the same value. */
    STUCK,
    /** Strong extra noise on one sensor. */
    NOISE_BURST,
    /** The asset sends nothing. */
    DROPOUT,
    /** A slow trend of one sensor toward (and past) its limit: the predictive-maintenance case. */
    DEGRADATION
}
