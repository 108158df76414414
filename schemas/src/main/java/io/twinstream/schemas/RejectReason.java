package io.twinstream.schemas;

/** Why an input record was rejected to the dead-letter topic. */
public enum RejectReason {
    /** Not parseable as JSON at all (bad bytes, truncated, not an object). */
    MALFORMED_JSON,
    /** JSON, but a required field is missing, has the wrong type, or a value is not a finite number. */
    SCHEMA_VIOLATION,
    /** A {@code schemaVersion} newer than this job understands (or not positive). */
    UNSUPPORTED_SCHEMA_VERSION,
    /** An {@code assetType} no model in force declares (or none, for an asset not in the registry). */
    UNKNOWN_ASSET_TYPE,
    /** A sensor the asset type's model does not declare. */
    UNKNOWN_SENSOR,
    /** The record exceeded the configured maximum size. */
    OVERSIZED,
    /** Timestamped further ahead of the processing clock than {@code event-time.max-future-skew}. */
    FUTURE_TIMESTAMP,
    /** Timestamped before {@code event-time.min-timestamp} (a device clock reset to 1970, say). */
    TIMESTAMP_TOO_OLD,
    /** An assetId, siteId or eventId longer than {@code input.max-id-length} or with a character outside the set. */
    INVALID_IDENTIFIER,
    /** A JSON object with the same key twice (parsers disagree on which one wins). */
    DUPLICATE_KEY,
    /** Event time older than the watermark minus the allowed lateness. */
    LATE,
    /** Sequence number below what the per-asset deduplication window remembers. */
    SEQUENCE_TOO_OLD,
    /**
     * A record on the models topic that breaks the model schema, whose key is not its type, or whose version is
     * older than the one in force (or the same version with other content); the model in force stays.
     */
    INVALID_MODEL,
    /** A record on the registry topic that breaks the registry-entry schema or whose key is not its assetId. */
    INVALID_REGISTRY_ENTRY,
    /**
     * A record on the desired-state topic that breaks its schema, whose key is not its assetId, that names a property
     * the asset's model does not declare settable or a value outside the property's range, or for an asset with no
     * known model yet; the desired state in force stays.
     */
    INVALID_DESIRED_STATE,
    /** An acknowledgement that breaks its schema, or names a command the asset was never sent. */
    UNKNOWN_COMMAND,
    /**
     * An alert action that breaks its schema, or acts on an alert the asset has not open (unknown, or resolved), or
     * changes nothing (acknowledging an acknowledged alert): the alert's state stays as it is.
     */
    INVALID_ALERT_ACTION,
    /**
     * A command request that breaks its schema, names a command the asset's model does not declare, or repeats a
     * request already made (same id).
     */
    INVALID_COMMAND_REQUEST
}
