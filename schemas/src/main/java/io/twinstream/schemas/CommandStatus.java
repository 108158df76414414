package io.twinstream.schemas;

/**
 * A command as the twin tracks it, listed in snapshots while pending and once more when it ends.
 *
 * @param commandId the command's id
 * @param name      {@code set} for a desired value, else the explicit command's name ({@code restart}, ...)
 * @param property  the property it sets; null for an explicit command
 * @param value     the value it sets; null for an explicit command
 * @param state     SENT, ACKED, APPLIED, FAILED, EXPIRED, or SUPERSEDED by a newer desired value of its property
 * @param issuedAt  event time it was sent
 * @param expiresAt event time it expires unless applied
 * @param updatedAt event time of its last change of state
 * @param detail    the device's reason for a failure, or why it expired
 */
public record CommandStatus(String commandId, String name, String property, Double value, State state, long issuedAt,
        long expiresAt, long updatedAt, String detail) {

    public enum State {
        SENT, ACKED, APPLIED, FAILED, EXPIRED, SUPERSEDED;

        public boolean pending() {
            return this == SENT || this == ACKED;
        }
    }
}
