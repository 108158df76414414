package io.twinstream.generator;

/** Faults of the transport, not the asset: what a real gateway or bridge does to a stream. */
public enum TransportFault {
    /** The same bytes sent again. The twin must not count it twice. */
    DUPLICATE(false),
    /** Sent after newer readings of its asset, but within the allowed lateness. Accepted. */
    OUT_OF_ORDER(false),
    /** Sent so much later than newer readings of its asset that the job must reject it. */
    LATE(true),
    /** Bytes that are not valid JSON (an extra record; the clean reading is still sent). */
    MALFORMED_JSON(true),
    /** Valid JSON that breaks the telemetry schema (an extra record). */
    SCHEMA_VIOLATION(true),
    /** A well-formed reading of an asset type no model declares (an extra record). */
    UNKNOWN_ASSET_TYPE(true);

    private final boolean rejected;

    TransportFault(boolean rejected) {
        this.rejected = rejected;
    }

    /** Whether the pipeline must route such a record to the dead-letter topic. */
    public boolean rejected() {
        return rejected;
    }
}
