package io.twinstream.schemas;

/**
 * An instruction to one device, on {@code twin.commands} keyed by asset id. Sent once: its id is derived from the
 * desired-state record that caused it, so a restart or a replay derives the same id, and the topic is written in
 * transactions, so a restart never makes a second copy visible to a read_committed consumer.
 *
 * @param schemaVersion contract version ({@link SchemaVersions#COMMAND})
 * @param commandId     stable id; a device acknowledges with it
 * @param assetId       the device
 * @param name          what to do: {@code set} for a settable property
 * @param property      the property to set
 * @param value         its new value
 * @param issuedAt      event time it was sent, epoch ms
 * @param expiresAt     event time after which the twin counts it EXPIRED unless applied; a device should not apply it later
 * @param requestedBy   who asked for it
 */
public record Command(int schemaVersion, String commandId, String assetId, String name, String property,
        Double value, long issuedAt, long expiresAt, String requestedBy) {

    public static final String SET = "set";
}
