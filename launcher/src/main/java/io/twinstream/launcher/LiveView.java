package io.twinstream.launcher;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SensorState;
import io.twinstream.schemas.TwinSnapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the terminal shows: twins by status, throughput, dead letters, the latest snapshots. Fed
 * from the sink topics (what a user's consumer sees), rendered as a compact text block.
 */
public final class LiveView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int RECENT = 8;

    private final Map<String, TwinSnapshot> twins = new HashMap<>();
    private final Deque<TwinSnapshot> recent = new ArrayDeque<>();
    private final Map<RejectReason, Long> deadLetters = new EnumMap<>(RejectReason.class);
    /** Open alerts by id, newest event per alert. */
    private final Map<String, Alert> openAlerts = new java.util.LinkedHashMap<>();
    private long alertsOpened;
    private long alertsResolved;
    private long acceptedAtLastRender;
    private long lastRenderNanos = System.nanoTime();

    public synchronized void onSnapshot(byte[] json) {
        TwinSnapshot s = read(json, TwinSnapshot.class);
        twins.put(s.assetId(), s);
        recent.addFirst(s);
        while (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    public synchronized void onAlert(byte[] json) {
        Alert a = read(json, Alert.class);
        if (a.state() == Alert.AlertState.RESOLVED) {
            openAlerts.remove(a.alertId());
            alertsResolved++;
        } else {
            if (a.state() == Alert.AlertState.OPENED) {
                alertsOpened++;
            }
            openAlerts.put(a.alertId(), a);
        }
    }

    public synchronized long alertsOpened() {
        return alertsOpened;
    }

    public synchronized java.util.List<Alert> openAlerts() {
        return java.util.List.copyOf(openAlerts.values());
    }

    public synchronized void onDeadLetter(byte[] json) {
        DeadLetter d = read(json, DeadLetter.class);
        deadLetters.merge(d.reasonCode(), 1L, Long::sum);
    }

    public synchronized Map<AssetStatus, Long> statusCounts() {
        Map<AssetStatus, Long> counts = new EnumMap<>(AssetStatus.class);
        for (AssetStatus s : AssetStatus.values()) {
            counts.put(s, 0L);
        }
        twins.values().forEach(t -> counts.merge(t.status(), 1L, Long::sum));
        return counts;
    }

    /** The newest snapshot of an asset, or null. */
    public synchronized TwinSnapshot twin(String assetId) {
        return twins.get(assetId);
    }

    public synchronized long deadLetterCount() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized int twinCount() {
        return twins.size();
    }

    /** @param header lines above the table (generator progress, web UI address) */
    public synchronized String render(String header) {
        long now = System.nanoTime();
        long accepted = twins.values().stream().mapToLong(TwinSnapshot::eventsAccepted).sum();
        double seconds = Math.max(1e-3, (now - lastRenderNanos) / 1e9);
        double rate = (accepted - acceptedAtLastRender) / seconds;
        acceptedAtLastRender = accepted;
        lastRenderNanos = now;

        StringBuilder b = new StringBuilder(header);
        Map<AssetStatus, Long> status = statusCounts();
        b.append(String.format("twins: %d   ONLINE %d   STALE %d   OFFLINE %d   | pipeline %,.0f readings/s (from snapshots)%n",
                twins.size(), status.get(AssetStatus.ONLINE), status.get(AssetStatus.STALE),
                status.get(AssetStatus.OFFLINE), rate));
        b.append(String.format("dead letters: %d %s%n", deadLetterCount(), deadLetters.isEmpty() ? ""
                : deadLetters.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue())
                        .collect(Collectors.joining(" ", "(", ")"))));
        b.append(String.format("%nopen alerts: %d (opened %d, resolved %d so far)%n", openAlerts.size(), alertsOpened,
                alertsResolved));
        openAlerts.values().stream().sorted(Comparator.comparing(Alert::updatedAt).reversed()).limit(8)
                .forEach(a -> b.append(String.format("  %-8s %-7s %-12s %-8s since %s  %s%n", a.severity(), a.kind(),
                        a.assetId(), a.siteId(), TIME.format(Instant.ofEpochMilli(a.startedAt())), a.reason())));
        b.append(String.format("%nlatest snapshots%n%-12s %-17s %-8s %-7s %-6s %-8s %s%n",
                "asset", "type", "site", "status", "health", "time", "readings (! = out of range)"));
        for (TwinSnapshot s : recent) {
            b.append(String.format("%-12s %-17s %-8s %-7s %-6s %-8s %s%n", s.assetId(), s.assetType(), s.siteId(),
                    s.status(), s.health() == null ? "-" : String.format("%.2f", s.health()),
                    TIME.format(Instant.ofEpochMilli(s.snapshotTime())), readings(s)));
        }
        String offline = twins.values().stream().filter(t -> t.status() != AssetStatus.ONLINE)
                .sorted(Comparator.comparing(TwinSnapshot::assetId)).limit(10)
                .map(t -> t.assetId() + "(" + t.status().name().toLowerCase() + ")").collect(Collectors.joining(" "));
        if (!offline.isEmpty()) {
            b.append(String.format("%nnot online: %s%n", offline));
        }
        return b.toString();
    }

    private static String readings(TwinSnapshot s) {
        return s.sensors().entrySet().stream().map(e -> {
            SensorState v = e.getValue();
            return e.getKey() + "=" + String.format("%.1f", v.lastValue()) + (v.outOfRange() ? "!" : "");
        }).collect(Collectors.joining(" "));
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
