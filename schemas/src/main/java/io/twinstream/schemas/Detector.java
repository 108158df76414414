package io.twinstream.schemas;

/** Which detector produced a score. */
public enum Detector {
    /** Nothing unusual. */
    NONE,
    /** The value is far from what the asset's other sensors and its own history predict. */
    RESIDUAL,
    /** The value has been persistently off, in one direction, from what the model predicts (a drift). */
    SHIFT,
    /** The value lies outside the sensor's valid physical range. */
    RANGE,
    /** The sensor keeps repeating the exact same value for far longer than it naturally does. */
    STUCK,
    /** The asset stopped reporting (from the twin's liveness). */
    OFFLINE
}
