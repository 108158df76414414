package io.twinstream.jobs.command;

import io.twinstream.schemas.CommandStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One asset's two-way state: per settable property desired and reported side by side, and the commands sent to it.
 * Part of the asset's keyed value ({@code AssetState.control}, null for an asset that never had a desired state or a
 * reported value), written by {@code AssetStateSerializer}: a new field goes there too.
 */
public class DeviceControl {
    /** Per settable property, by name. */
    public Map<String, Property> properties = new TreeMap<>();
    /** Per explicit command name, its open COMMAND_FAILED or COMMAND_EXPIRED incident (the other fields unused). */
    public Map<String, Property> explicit = new TreeMap<>();
    /** Commands pending, then ended ones until a snapshot has shown them. In the order sent. */
    public List<Tracked> commands = new ArrayList<>();
    /** Something changed that the next snapshot must show at once. */
    public boolean changed;

    public DeviceControl() {}

    /** One settable property. */
    public static class Property {
        public Double desired;
        public String requestedBy;
        public Double reported;
        public long reportedAt = Long.MIN_VALUE;
        /** Event time desired and reported started to disagree; Long.MIN_VALUE while they agree or one is missing. */
        public long disagreeingSince = Long.MIN_VALUE;
        /** Open DESIRED_STATE_DRIFT incident, or null. */
        public String driftId;
        public long driftStart;
        /** Open COMMAND_EXPIRED or COMMAND_FAILED incident, or null; {@link #commandAlertFailed} says which. */
        public String commandAlertId;
        public long commandAlertStart;
        public boolean commandAlertFailed;

        public Property() {}

        int openAlerts() {
            return (driftId != null ? 1 : 0) + (commandAlertId != null ? 1 : 0);
        }
    }

    /** One command as the twin follows it. */
    public static class Tracked {
        public String commandId;
        /** {@code set}, or an explicit command's name. */
        public String name;
        /** The property a {@code set} sets; null for an explicit command. */
        public String property;
        public Double value;
        public CommandStatus.State state;
        public long issuedAt;
        public long expiresAt;
        public long updatedAt;
        public String detail;

        public Tracked() {}

        CommandStatus status() {
            return new CommandStatus(commandId, name, property, value, state, issuedAt, expiresAt, updatedAt, detail);
        }
    }

    public int openAlerts() {
        int n = 0;
        for (Property p : properties.values()) {
            n += p.openAlerts();
        }
        for (Property p : explicit.values()) {
            n += p.openAlerts();
        }
        return n;
    }
}
