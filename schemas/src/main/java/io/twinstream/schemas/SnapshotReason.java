package io.twinstream.schemas;

/** Why a twin snapshot was emitted. */
public enum SnapshotReason {
    /** The twin changed (rate-limited to one snapshot per configured interval). */
    CHANGE,
    /** The twin's liveness status changed; emitted at once. */
    STATUS,
    /** Periodic refresh, also when nothing changed. */
    PERIODIC,
    /** The input ended (bounded run); the last state is flushed. */
    FINAL,
    /** The asset's registry entry changed (site, name, parent, ...); emitted at once. */
    REGISTRY,
    /** A desired value or a command's state changed; emitted at once. */
    CONTROL
}
