package io.twinstream.schemas;

/**
 * A command as the twin tracks it, listed in snapshots while pending and once more when it ends.
 *
 * @param commandId the command's id
 * @param property  the property it sets
 * @param value     the value it sets
 * @param state     SENT, ACKED, APPLIED, FAILED, EXPIRED, or SUPERSEDED by a newer desired value of its property
 * @param issuedAt  event time it was sent
 * @param expiresAt event time it expires unless applied
 * @param updatedAt event time of its last change of state
 * @param detail    the device's reason for a failure, or why it expired
 */
public record CommandStatus(String commandId, String property, Double value, State state, long issuedAt,
        long expiresAt, long updatedAt, String detail) {

    public enum State {
        SENT, ACKED, APPLIED, FAILED, EXPIRED, SUPERSEDED;

        public boolean pending() {
            return this == SENT || this == ACKED;
        }
    }
}
