package io.twinstream.schemas;

/**
 * Contract versions written by this release. Readers accept every version from 1 up to these;
 * a newer version goes to the dead-letter topic as {@link RejectReason#UNSUPPORTED_SCHEMA_VERSION}.
 */
public final class SchemaVersions {
    public static final int TELEMETRY = 1;
    public static final int SNAPSHOT = 1;
    public static final int DEAD_LETTER = 1;
    public static final int ALERT = 1;
    public static final int SCORE = 1;
    public static final int ASSET_ENTRY = 1;
    public static final int ASSET_MODEL = 1;
    public static final int DESIRED_STATE = 1;
    public static final int COMMAND = 1;
    public static final int COMMAND_ACK = 1;
    public static final int ALERT_ACTION = 1;
    public static final int COMMAND_REQUEST = 1;
    public static final int ROLLUP = 1;
    public static final int SITE_STATE = 1;

    private SchemaVersions() {}
}
