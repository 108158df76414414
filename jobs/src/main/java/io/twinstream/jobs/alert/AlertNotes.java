package io.twinstream.jobs.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What operators did to one asset's alerts ({@code twin.alert-actions}), and its silence. Part of the asset's keyed
 * value ({@code AssetState.notes}, null until the asset has an alert or an action), written by
 * {@code AssetStateSerializer}: a new field goes there too.
 */
public class AlertNotes {
    /** Open incidents: the last event of each as JSON, so an action can re-issue it with its annotations. */
    public Map<String, String> open = new TreeMap<>();
    /** Annotations of open incidents, by alert id. */
    public Map<String, Note> notes = new TreeMap<>();
    /** Incidents opened while the asset was silenced: not raised unless still open when the silence ends. */
    public Set<String> held = new TreeSet<>();
    /** Event time the asset's silence ends; Long.MIN_VALUE if it was never silenced. */
    public long silencedUntil = Long.MIN_VALUE;
    public String silencedBy;
    public String silenceNote;
    /** The most recently resolved incidents, newest last (to tell "resolved" from "unknown" in a refusal). */
    public List<String> resolved = new ArrayList<>();

    public AlertNotes() {}

    /** An operator's annotations of one incident. */
    public static class Note {
        public boolean acknowledged;
        public String acknowledgedBy;
        public long acknowledgedAt;
        public String assignee;
        public String note;

        public Note() {}
    }
}
