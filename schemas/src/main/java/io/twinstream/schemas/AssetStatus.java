package io.twinstream.schemas;

/** Liveness of a twin, from the time since its asset last reported, in multiples of its sampling interval. */
public enum AssetStatus {
    ONLINE,
    STALE,
    OFFLINE
}
