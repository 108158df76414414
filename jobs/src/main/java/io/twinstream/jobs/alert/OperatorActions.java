package io.twinstream.jobs.alert;

import io.twinstream.jobs.alert.AlertNotes.Note;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Operators' actions on an asset's alerts, as plain logic over {@link AlertNotes}: acknowledge (who, when, note),
 * unacknowledge, assign, comment, and silence the asset for a while (a maintenance window: scoring goes on, nothing new
 * is raised; an incident still open when the silence ends is raised then). Each action on an open incident re-issues
 * it as UPDATED with the annotations, which every later event of the incident carries too. An incident stays one
 * incident while it is open, acknowledged or not; a new one opens only once it has resolved. An action on an incident
 * that is not open, or that changes nothing, is refused with the reason (the caller dead-letters it).
 */
public final class OperatorActions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How many resolved incident ids an asset remembers, to say "resolved" rather than "unknown". */
    static final int RESOLVED_REMEMBERED = 2;

    /**
     * Passes one alert event of the lifecycle through: returns it with the incident's annotations, or null while the
     * asset is silenced (the incident is held, and raised if still open when the silence ends).
     */
    public Alert onAlert(AlertNotes n, Alert a) {
        Note note = n.notes.get(a.alertId());
        Alert annotated = note == null ? a : a.annotated(a.state(), a.updatedAt(), a.reason(), note.acknowledged,
                note.acknowledgedBy, note.acknowledgedAt == Long.MIN_VALUE ? null : note.acknowledgedAt, note.assignee,
                note.note);
        switch (a.state()) {
            case OPENED -> {
                n.open.put(a.alertId(), json(annotated));
                if (a.updatedAt() < n.silencedUntil) {
                    n.held.add(a.alertId());
                    return null;
                }
                return annotated;
            }
            case UPDATED -> {
                n.open.put(a.alertId(), json(annotated));
                return n.held.contains(a.alertId()) ? null : annotated;
            }
            default -> {
                n.open.remove(a.alertId());
                n.notes.remove(a.alertId());
                n.resolved.add(a.alertId());
                if (n.resolved.size() > RESOLVED_REMEMBERED) {
                    n.resolved.remove(0);
                }
                return n.held.remove(a.alertId()) ? null : annotated; // never raised: nothing to resolve
            }
        }
    }

    /**
     * Applies an action; re-issued alerts go to {@code out}. Returns null, or why the action is refused (its state then
     * stays as it was).
     */
    public String onAction(AlertNotes n, AlertAction act, Consumer<Alert> out) {
        switch (act.action()) {
            case SILENCE -> {
                n.silencedUntil = Math.max(n.silencedUntil, act.at() + act.silenceForMs());
                n.silencedBy = act.by();
                n.silenceNote = act.note();
                return null;
            }
            case UNSILENCE -> {
                if (n.silencedUntil <= act.at()) {
                    return "asset " + act.assetId() + " is not silenced";
                }
                n.silencedUntil = act.at();
                releaseHeld(n, act.at(), out);
                return null;
            }
            default -> { }
        }
        String id = act.alertId();
        String stored = n.open.get(id);
        if (stored == null) {
            return n.resolved.contains(id) ? "alert " + id + " is resolved" : "asset " + act.assetId()
                    + " has no open alert " + id;
        }
        Note note = n.notes.computeIfAbsent(id, k -> {
            Note fresh = new Note();
            fresh.acknowledgedAt = Long.MIN_VALUE;
            return fresh;
        });
        String reason;
        switch (act.action()) {
            case ACK -> {
                if (note.acknowledged) {
                    return "alert " + id + " is already acknowledged by " + note.acknowledgedBy + " at "
                            + Instant.ofEpochMilli(note.acknowledgedAt);
                }
                note.acknowledged = true;
                note.acknowledgedBy = act.by();
                note.acknowledgedAt = act.at();
                if (act.note() != null) {
                    note.note = act.note();
                }
                reason = "acknowledged by " + act.by() + (act.note() == null ? "" : ": " + act.note());
            }
            case UNACK -> {
                if (!note.acknowledged) {
                    return "alert " + id + " is not acknowledged";
                }
                note.acknowledged = false;
                note.acknowledgedBy = null;
                note.acknowledgedAt = Long.MIN_VALUE;
                reason = "acknowledgement withdrawn by " + act.by();
            }
            case ASSIGN -> {
                if (act.assignee().equals(note.assignee)) {
                    return "alert " + id + " is already assigned to " + note.assignee;
                }
                note.assignee = act.assignee();
                reason = "assigned to " + act.assignee() + " by " + act.by();
            }
            default -> { // COMMENT
                note.note = act.note();
                reason = "comment by " + act.by() + ": " + act.note();
            }
        }
        Alert last = read(stored);
        Alert updated = last.annotated(AlertState.UPDATED, Math.max(act.at(), last.updatedAt()), reason,
                note.acknowledged, note.acknowledgedBy, note.acknowledgedAt == Long.MIN_VALUE ? null
                        : note.acknowledgedAt, note.assignee, note.note);
        n.open.put(id, json(updated));
        if (!n.held.contains(id)) {
            out.accept(updated);
        }
        return null;
    }

    /** Event time of the asset's silence end if incidents wait for it, else Long.MAX_VALUE. */
    public long nextDeadline(AlertNotes n) {
        return n.held.isEmpty() ? Long.MAX_VALUE : n.silencedUntil;
    }

    /** At event time {@code time}: a silence that ended raises the incidents it held that are still open. */
    public void advanceTo(AlertNotes n, long time, Consumer<Alert> out) {
        if (!n.held.isEmpty() && time >= n.silencedUntil) {
            releaseHeld(n, n.silencedUntil, out);
        }
    }

    private void releaseHeld(AlertNotes n, long at, Consumer<Alert> out) {
        for (String id : n.held) {
            Alert a = read(n.open.get(id));
            Alert raised = a.annotated(AlertState.OPENED, Math.max(at, a.updatedAt()), a.reason() + " (raised when "
                    + "the silence by " + n.silencedBy + " ended)", a.acknowledged(), a.acknowledgedBy(),
                    a.acknowledgedAt(), a.assignee(), a.note());
            n.open.put(id, json(raised));
            out.accept(raised);
        }
        n.held.clear();
    }

    /** Whether the asset is silenced at event time {@code time}. */
    public static boolean silenced(AlertNotes n, long time) {
        return n != null && time < n.silencedUntil;
    }

    static String describe(AlertNotes n) {
        return "silenced by " + n.silencedBy + " until " + Instant.ofEpochMilli(n.silencedUntil)
                + (n.silenceNote == null ? "" : " (" + n.silenceNote + ")");
    }

    private static String json(Alert a) {
        try {
            return Json.MAPPER.writeValueAsString(a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Alert read(String json) {
        try {
            return Json.MAPPER.readValue(json, Alert.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
