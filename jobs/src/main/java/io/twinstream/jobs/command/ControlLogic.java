package io.twinstream.jobs.command;

import io.twinstream.jobs.command.DeviceControl.Property;
import io.twinstream.jobs.command.DeviceControl.Tracked;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.CommandAck;
import io.twinstream.schemas.CommandRequest;
import io.twinstream.schemas.CommandStatus;
import io.twinstream.schemas.CommandStatus.State;
import io.twinstream.schemas.DesiredState;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.PropertyState;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SettableProperty;
import io.twinstream.schemas.Telemetry;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired state, commands and their tracking for one asset, as plain logic over {@link DeviceControl}, in event time:
 * <ul>
 *   <li>a desired value that differs from the one in force, and from what the asset reports, becomes one command,
 *       whose id is derived from the desired-state record (so a restart or a replay derives the same id);</li>
 *   <li>a command goes SENT, then ACKED on the device's acknowledgement, then APPLIED once the asset reports the value
 *       (a matching report alone also applies it), or FAILED when the device says so, or EXPIRED when its time to live
 *       passes; a newer desired value of its property SUPERSEDES it. FAILED and EXPIRED open a COMMAND_FAILED or
 *       COMMAND_EXPIRED alert for the property, resolved once the property agrees again or is desired anew;</li>
 *   <li>a property reported away from its desired value, with no command on its way and no command alert open,
 *       opens DESIRED_STATE_DRIFT once that lasted longer than the property allows; it resolves when they agree.</li>
 * </ul>
 * So one cause pages once: an ignored command is COMMAND_EXPIRED, not also a drift. Explicit commands of the model
 * ({@code restart}, ...) are requested one by one ({@link #onRequest}); a device's ACCEPTED applies one, FAILED or no
 * answer within its time to live alert for the command's name.
 */
public final class ControlLogic implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ControlSettings settings;

    public ControlLogic(ControlSettings settings) {
        this.settings = settings;
    }

    /** What the alerts say about the asset besides the property. */
    public record AssetRef(String assetId, String assetType, String siteId, Map<String, Double> currentValues) {}

    /** Where commands and alerts go. */
    public interface Out {
        void command(Command c);

        void alert(Alert a);
    }

    /** What an acknowledgement did. */
    public enum AckResult { APPLIED, UNKNOWN_COMMAND, ALREADY_ENDED }

    /** Why {@code d} cannot be put in force for an asset of {@code model}, or null if it can. */
    public static String problem(AssetModel model, DesiredState d) {
        if (model == null) {
            return "the asset's type has no model yet (a desired state needs its settable properties)";
        }
        for (Map.Entry<String, Double> e : new TreeMap<>(d.desired()).entrySet()) {
            SettableProperty p = model.settable(e.getKey());
            if (p == null) {
                return model.type() + " (model version " + model.version() + ") declares no settable property '"
                        + e.getKey() + "'";
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue()) || !p.inRange(e.getValue())) {
                return e.getKey() + " = " + e.getValue() + " is outside its range [" + p.min() + ", " + p.max() + "]";
            }
        }
        return null;
    }

    /**
     * Puts a desired state in force at event time {@code time} ({@code d} null: a tombstone, nothing is desired any
     * more). {@code source} names the record (topic, partition, offset): the seed of the commands' ids.
     */
    public void onDesired(AssetRef asset, DeviceControl c, AssetModel model, DesiredState d, String source, long time,
            Out out) {
        Map<String, Double> wanted = d == null ? Map.of() : new TreeMap<>(d.desired());
        for (Map.Entry<String, Property> e : c.properties.entrySet()) {
            Property p = e.getValue();
            if (p.desired != null && !wanted.containsKey(e.getKey())) {
                p.desired = null;
                p.requestedBy = null;
                p.disagreeingSince = Long.MIN_VALUE;
                supersede(c, e.getKey(), time, "no longer desired");
                resolveAll(asset, p, e.getKey(), time, "no longer desired", out);
                c.changed = true;
            }
        }
        for (Map.Entry<String, Double> e : wanted.entrySet()) {
            String name = e.getKey();
            double value = e.getValue();
            SettableProperty spec = model.settable(name);
            Property p = c.properties.computeIfAbsent(name, k -> new Property());
            if (p.desired != null && p.desired == value) {
                continue; // unchanged: the record set another property, or is a replay
            }
            p.desired = value;
            p.requestedBy = d.requestedBy();
            c.changed = true;
            supersede(c, name, time, "superseded by a newer desired value");
            resolveAll(asset, p, name, time, "desired value changed to " + fmt(value), out);
            if (p.reported != null && spec.agrees(value, p.reported)) {
                p.disagreeingSince = Long.MIN_VALUE;
                continue; // already there: nothing to send
            }
            p.disagreeingSince = time;
            Tracked t = new Tracked();
            t.commandId = asset.assetId() + "/" + name + "/" + source;
            t.name = Command.SET;
            t.property = name;
            t.value = value;
            t.state = State.SENT;
            t.issuedAt = time;
            t.expiresAt = time + settings.ttl(spec);
            t.updatedAt = time;
            c.commands.add(t);
            out.command(new Command(SchemaVersions.COMMAND, t.commandId, asset.assetId(), Command.SET, name, value,
                    t.issuedAt, t.expiresAt, d.requestedBy()));
        }
    }

    /** Follows the reported values a reading carries (readings are applied in event-time order). */
    public void onReading(AssetRef asset, DeviceControl c, AssetModel model, Telemetry t, Out out) {
        for (SettableProperty spec : model.settable()) {
            Double v = t.readings().get(spec.name());
            if (v == null) {
                continue;
            }
            Property p = c.properties.computeIfAbsent(spec.name(), k -> new Property());
            boolean agreed = agree(spec, p);
            p.reported = v;
            p.reportedAt = t.timestamp();
            if (p.desired == null) {
                continue;
            }
            if (spec.agrees(p.desired, v)) {
                p.disagreeingSince = Long.MIN_VALUE;
                for (Tracked cmd : c.commands) {
                    if (spec.name().equals(cmd.property) && cmd.state.pending() && spec.agrees(cmd.value, v)) {
                        end(cmd, State.APPLIED, t.timestamp(), null);
                        c.changed = true;
                    }
                }
                resolveAll(asset, p, spec.name(), t.timestamp(), spec.name() + " = " + fmt(v) + " agrees with the "
                        + "desired " + fmt(p.desired), out);
                c.changed |= !agreed;
            } else if (p.disagreeingSince == Long.MIN_VALUE) {
                p.disagreeingSince = t.timestamp();
                c.changed |= agreed;
            }
        }
    }

    /** A device's answer. */
    public AckResult onAck(AssetRef asset, DeviceControl c, CommandAck ack, Out out) {
        Tracked cmd = null;
        for (Tracked t : c.commands) {
            if (t.commandId.equals(ack.commandId())) {
                cmd = t;
            }
        }
        if (cmd == null) {
            return AckResult.UNKNOWN_COMMAND; // never sent, or ended and already shown
        }
        if (!cmd.state.pending()) {
            return AckResult.ALREADY_ENDED;
        }
        if (cmd.property == null) {
            return explicitAck(asset, c, cmd, ack, out);
        }
        if (ack.status() == CommandAck.Status.ACCEPTED) {
            if (cmd.state == State.SENT) {
                cmd.state = State.ACKED;
                cmd.updatedAt = ack.timestamp();
                c.changed = true;
            }
            return AckResult.APPLIED;
        }
        String detail = "device answered " + ack.status() + (ack.detail() == null ? "" : ": " + ack.detail());
        end(cmd, State.FAILED, ack.timestamp(), detail);
        c.changed = true;
        Property p = c.properties.computeIfAbsent(cmd.property, k -> new Property());
        if (p.commandAlertId == null) {
            open(asset, p, cmd, true, ack.timestamp(), "command " + cmd.commandId + " (" + cmd.property + " = "
                    + fmt(cmd.value) + ") failed: " + detail, out);
        }
        return AckResult.APPLIED;
    }

    /**
     * Requests an explicit command ({@code restart}, ...) of the asset's model at event time {@code requestedAt}: one
     * command, whose id comes from the request's id (or its place in the topic). Returns null, or why it is refused.
     */
    public String onRequest(AssetRef asset, DeviceControl c, AssetModel model, CommandRequest req, String source,
            Out out) {
        if (model == null) {
            return "the asset's type has no model yet (its commands are declared there)";
        }
        if (!model.commands().contains(req.name())) {
            return model.type() + " (model version " + model.version() + ") declares no command '" + req.name() + "'";
        }
        String id = asset.assetId() + "/" + req.name() + "/" + (req.requestId() != null ? req.requestId() : source);
        for (Tracked t : c.commands) {
            if (t.commandId.equals(id)) {
                return "command " + id + " was already requested";
            }
        }
        Tracked t = new Tracked();
        t.commandId = id;
        t.name = req.name();
        t.state = State.SENT;
        t.issuedAt = req.requestedAt();
        t.expiresAt = req.requestedAt() + (req.ttlMs() != null ? req.ttlMs() : settings.commandTtlMs());
        t.updatedAt = req.requestedAt();
        c.commands.add(t);
        c.changed = true;
        out.command(new Command(SchemaVersions.COMMAND, id, asset.assetId(), req.name(), null, null, t.issuedAt,
                t.expiresAt, req.requestedBy()));
        return null;
    }

    /**
     * An answer to an explicit command: a device acknowledges one once it has carried it out, so ACCEPTED applies it
     * (and resolves an earlier failure of the same command); REJECTED or FAILED fail it.
     */
    private AckResult explicitAck(AssetRef asset, DeviceControl c, Tracked cmd, CommandAck ack, Out out) {
        Property p = c.explicit.computeIfAbsent(cmd.name, k -> new Property());
        c.changed = true;
        if (ack.status() == CommandAck.Status.ACCEPTED) {
            end(cmd, State.APPLIED, ack.timestamp(), null);
            resolveAll(asset, p, cmd.name, ack.timestamp(), cmd.name + " carried out (" + cmd.commandId + ")", out);
            return AckResult.APPLIED;
        }
        String detail = "device answered " + ack.status() + (ack.detail() == null ? "" : ": " + ack.detail());
        end(cmd, State.FAILED, ack.timestamp(), detail);
        if (p.commandAlertId == null) {
            open(asset, p, cmd, true, ack.timestamp(), "command " + cmd.commandId + " (" + cmd.name + ") failed: "
                    + detail, out);
        }
        return AckResult.APPLIED;
    }

    /** The incident state of a command's subject: its property's, or an explicit command's. */
    private static Property subject(DeviceControl c, Tracked t) {
        return t.property != null ? c.properties.computeIfAbsent(t.property, k -> new Property())
                : c.explicit.computeIfAbsent(t.name, k -> new Property());
    }

    /** Event time of the next expiry or drift to judge, or Long.MAX_VALUE. */
    public long nextDeadline(DeviceControl c, AssetModel model) {
        long next = Long.MAX_VALUE;
        for (Tracked t : c.commands) {
            if (t.state.pending()) {
                next = Math.min(next, t.expiresAt);
            }
        }
        if (model != null) {
            for (Map.Entry<String, Property> e : c.properties.entrySet()) {
                SettableProperty spec = model.settable(e.getKey());
                if (spec != null && mayDrift(c, e.getKey(), e.getValue())) {
                    next = Math.min(next, e.getValue().disagreeingSince + settings.driftAfter(spec));
                }
            }
        }
        return next;
    }

    /** Judges expiries and drifts due by event time {@code time}. */
    public void advanceTo(AssetRef asset, DeviceControl c, AssetModel model, long time, Out out) {
        for (Tracked t : c.commands) {
            if (t.state.pending() && t.expiresAt <= time) {
                end(t, State.EXPIRED, t.expiresAt, "not applied within " + java.time.Duration.ofMillis(
                        t.expiresAt - t.issuedAt));
                c.changed = true;
                Property p = subject(c, t);
                if (p.commandAlertId == null) {
                    String what = t.property != null ? t.property + " = " + fmt(t.value) : t.name;
                    String state = t.property != null ? "the asset reports " + (p.reported == null ? "no value"
                            : fmt(p.reported)) : "no acknowledgement";
                    open(asset, p, t, false, t.expiresAt, "command " + t.commandId + " (" + what + ") expired: "
                            + state + " " + java.time.Duration.ofMillis(t.expiresAt - t.issuedAt) + " after it was sent",
                            out);
                }
            }
        }
        if (model == null) {
            return;
        }
        for (Map.Entry<String, Property> e : c.properties.entrySet()) {
            SettableProperty spec = model.settable(e.getKey());
            Property p = e.getValue();
            if (spec == null || !mayDrift(c, e.getKey(), p)) {
                continue;
            }
            long due = p.disagreeingSince + settings.driftAfter(spec);
            if (due <= time) {
                p.driftStart = p.disagreeingSince;
                p.driftId = asset.assetId() + "/" + AlertKind.DESIRED_STATE_DRIFT + "/" + e.getKey() + "/" + p.driftStart;
                c.changed = true;
                out.alert(alert(asset, p.driftId, AlertKind.DESIRED_STATE_DRIFT, AlertState.OPENED, e.getKey(), p,
                        p.driftStart, due, null, e.getKey() + " reported " + fmt(p.reported) + " " + spec.unit()
                                + ", desired " + fmt(p.desired) + " " + spec.unit() + ", since "
                                + Instant.ofEpochMilli(p.disagreeingSince)));
            }
        }
    }

    /**
     * The snapshot's view: per property desired and reported, and the commands pending and those ended since the last
     * view (which it then forgets). Null lists when there is nothing to show.
     */
    public View view(DeviceControl c, AssetModel model) {
        Map<String, PropertyState> properties = new TreeMap<>();
        for (Map.Entry<String, Property> e : c.properties.entrySet()) {
            Property p = e.getValue();
            SettableProperty spec = model == null ? null : model.settable(e.getKey());
            boolean agrees = p.desired != null && p.reported != null
                    && (spec != null ? spec.agrees(p.desired, p.reported) : p.desired.equals(p.reported));
            properties.put(e.getKey(), new PropertyState(p.desired, p.reported,
                    p.reportedAt == Long.MIN_VALUE ? null : p.reportedAt, agrees,
                    p.disagreeingSince == Long.MIN_VALUE ? null : p.disagreeingSince));
        }
        List<CommandStatus> commands = new ArrayList<>();
        for (Iterator<Tracked> it = c.commands.iterator(); it.hasNext(); ) {
            Tracked t = it.next();
            commands.add(t.status());
            if (!t.state.pending()) {
                it.remove();
            }
        }
        c.changed = false;
        return new View(properties.isEmpty() ? null : properties, commands.isEmpty() ? null : commands);
    }

    /** What a snapshot shows of the asset's settable properties and commands. */
    public record View(Map<String, PropertyState> properties, List<CommandStatus> commands) {}

    private static boolean agree(SettableProperty spec, Property p) {
        return p.desired != null && p.reported != null && spec.agrees(p.desired, p.reported);
    }

    private static boolean mayDrift(DeviceControl c, String name, Property p) {
        if (p.desired == null || p.disagreeingSince == Long.MIN_VALUE || p.driftId != null || p.commandAlertId != null) {
            return false;
        }
        for (Tracked t : c.commands) {
            if (name.equals(t.property) && t.state.pending()) {
                return false; // on its way: judged by its expiry
            }
        }
        return true;
    }

    private static void supersede(DeviceControl c, String name, long time, String why) {
        for (Tracked t : c.commands) {
            if (name.equals(t.property) && t.state.pending()) {
                end(t, State.SUPERSEDED, time, why);
            }
        }
    }

    private static void end(Tracked t, State state, long time, String detail) {
        t.state = state;
        t.updatedAt = time;
        t.detail = detail;
    }

    private void open(AssetRef asset, Property p, Tracked cmd, boolean failed, long time, String reason, Out out) {
        AlertKind kind = failed ? AlertKind.COMMAND_FAILED : AlertKind.COMMAND_EXPIRED;
        p.commandAlertFailed = failed;
        p.commandAlertStart = time;
        String subject = cmd.property != null ? cmd.property : cmd.name;
        p.commandAlertId = asset.assetId() + "/" + kind + "/" + subject + "/" + time;
        out.alert(alert(asset, p.commandAlertId, kind, AlertState.OPENED, subject, p, time, time, null, reason));
    }

    private void resolveAll(AssetRef asset, Property p, String name, long time, String reason, Out out) {
        if (p.driftId != null) {
            out.alert(alert(asset, p.driftId, AlertKind.DESIRED_STATE_DRIFT, AlertState.RESOLVED, name, p, p.driftStart,
                    Math.max(time, p.driftStart), Math.max(time, p.driftStart), reason));
            p.driftId = null;
        }
        if (p.commandAlertId != null) {
            AlertKind kind = p.commandAlertFailed ? AlertKind.COMMAND_FAILED : AlertKind.COMMAND_EXPIRED;
            long at = Math.max(time, p.commandAlertStart);
            out.alert(alert(asset, p.commandAlertId, kind, AlertState.RESOLVED, name, p, p.commandAlertStart, at, at,
                    reason));
            p.commandAlertId = null;
        }
    }

    private static Alert alert(AssetRef asset, String id, AlertKind kind, AlertState state, String property,
            Property p, long start, long updated, Long resolvedAt, String reason) {
        return new Alert(SchemaVersions.ALERT, id, asset.assetId(), asset.assetType(), asset.siteId(), kind, state,
                Alert.Severity.WARNING, property, Detector.NONE, state == AlertState.RESOLVED ? 0.0 : 1.0,
                p.reported == null ? Double.NaN : p.reported, p.desired == null ? Double.NaN : p.desired, reason, start,
                updated, resolvedAt, asset.currentValues() == null ? Map.of() : Map.copyOf(asset.currentValues()), null);
    }

    private static String fmt(Double v) {
        return v == null ? "none" : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
