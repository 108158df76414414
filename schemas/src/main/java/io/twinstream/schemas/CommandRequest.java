package io.twinstream.schemas;

/**
 * An explicit command an operator asks to send to a device (a {@code restart}, say), on {@code twin.command-requests}
 * keyed by asset id ({@code bin/twinstream command ASSET NAME}). The asset's model must declare the command's name. The
 * command sent for it gets a stable id from {@code requestId} (or, without one, from the request's place in the
 * topic), so a request seen twice sends one command.
 *
 * @param schemaVersion contract version ({@link SchemaVersions#COMMAND_REQUEST})
 * @param assetId       the device
 * @param name          the command, one of the model's {@code commands}
 * @param requestId     the requester's id for it; optional
 * @param requestedAt   when, epoch ms: the command is sent at this event time
 * @param requestedBy   who asks
 * @param ttlMs         how long the device has to carry it out; null: {@code commands.ttl}
 */
public record CommandRequest(int schemaVersion, String assetId, String name, String requestId, long requestedAt,
        String requestedBy, Long ttlMs) {}
