package io.twinstream.schemas;

/**
 * A device's answer to a command, on {@code telemetry.acks} keyed by asset id. A device need not send one: a reported
 * value that matches the desired one counts as acknowledged and applied.
 *
 * @param schemaVersion contract version ({@link SchemaVersions#COMMAND_ACK})
 * @param assetId       the device
 * @param commandId     the command's id
 * @param status        ACCEPTED (will apply), REJECTED (will not) or FAILED (tried and could not)
 * @param timestamp     when the device answered, epoch ms
 * @param detail        the device's reason, if any
 */
public record CommandAck(int schemaVersion, String assetId, String commandId, Status status, long timestamp,
        String detail) {

    public enum Status { ACCEPTED, REJECTED, FAILED }
}
