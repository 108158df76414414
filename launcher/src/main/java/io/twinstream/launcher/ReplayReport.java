package io.twinstream.launcher;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Rollup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * What a what-if replay changed against the live pipeline over one period: incidents (alerts that started in it) per
 * kind and site, the incidents the replay added and those it removed (alert ids are derived from asset, kind and
 * start, so the same incident has the same id in both), detection against fault labels where there are any, and
 * energy per site from the minute roll-ups.
 *
 * @param incidents   per "KIND site": live and replay incident counts
 * @param added       ids of incidents only the replay raised
 * @param removed     ids of incidents only the live pipeline raised
 * @param live        detection of the live alerts against the labels; null without labels
 * @param replay      the same for the replay's alerts
 * @param energy      per site: live produced, live consumed, replay produced, replay consumed (kWh)
 */
public record ReplayReport(Map<String, int[]> incidents, List<String> added, List<String> removed,
        EvaluationReport live, EvaluationReport replay, Map<String, double[]> energy) {

    /** Alert events of incidents that started in [from, to). */
    static List<Alert> inPeriod(List<Alert> events, long from, long to) {
        return events.stream().filter(a -> a.startedAt() >= from && a.startedAt() < to).toList();
    }

    static ReplayReport compare(List<Alert> liveEvents, List<Alert> replayEvents, List<FaultLabel> labels, long graceMs,
            long slideMs, List<Rollup> liveRollups, List<Rollup> replayRollups, long from, long to) {
        List<Alert> live = inPeriod(liveEvents, from, to);
        List<Alert> replay = inPeriod(replayEvents, from, to);
        Map<String, int[]> incidents = new TreeMap<>();
        TreeSet<String> liveIds = new TreeSet<>();
        TreeSet<String> replayIds = new TreeSet<>();
        for (Alert a : live) {
            if (liveIds.add(a.alertId())) {
                incidents.computeIfAbsent(a.kind() + " " + a.siteId(), k -> new int[2])[0]++;
            }
        }
        for (Alert a : replay) {
            if (replayIds.add(a.alertId())) {
                incidents.computeIfAbsent(a.kind() + " " + a.siteId(), k -> new int[2])[1]++;
            }
        }
        List<String> added = new ArrayList<>(replayIds);
        added.removeAll(liveIds);
        List<String> removed = new ArrayList<>(liveIds);
        removed.removeAll(replayIds);
        List<FaultLabel> inside = labels.stream().filter(l -> l.start() >= from && l.start() < to).toList();
        EvaluationReport liveEval = inside.isEmpty() ? null
                : EvaluationReport.match(inside, live, graceMs, 0, 0, 0, slideMs);
        EvaluationReport replayEval = inside.isEmpty() ? null
                : EvaluationReport.match(inside, replay, graceMs, 0, 0, 0, slideMs);
        Map<String, double[]> energy = new TreeMap<>();
        addEnergy(energy, liveRollups, from, to, 0);
        addEnergy(energy, replayRollups, from, to, 2);
        return new ReplayReport(incidents, added, removed, liveEval, replayEval, energy);
    }

    private static void addEnergy(Map<String, double[]> energy, List<Rollup> rollups, long from, long to, int at) {
        long smallest = rollups.stream().mapToLong(r -> r.periodEnd() - r.periodStart()).min().orElse(0);
        for (Rollup r : rollups) {
            if (r.scope() == Rollup.Scope.SITE && r.periodEnd() - r.periodStart() == smallest
                    && r.periodStart() >= from && r.periodEnd() <= to && r.figures().producedKwh() != null) {
                double[] e = energy.computeIfAbsent(r.key(), k -> new double[4]);
                e[at] += r.figures().producedKwh();
                e[at + 1] += r.figures().consumedKwh();
            }
        }
    }

    void print(PrintStream out, String period, Map<String, String> changes) {
        out.printf("what-if replay of %s, changed: %s%n%n", period, changes.isEmpty() ? "nothing" : changes);
        out.printf("%-36s %8s %8s %8s%n", "incidents (kind, site)", "live", "replay", "change");
        int[] total = new int[2];
        incidents.forEach((k, v) -> {
            out.printf("%-36s %8d %8d %+8d%n", k, v[0], v[1], v[1] - v[0]);
            total[0] += v[0];
            total[1] += v[1];
        });
        out.printf("%-36s %8d %8d %+8d%n%n", "all", total[0], total[1], total[1] - total[0]);
        out.printf("added by the replay: %d%s%n", added.size(), sample(added));
        out.printf("removed by the replay: %d%s%n", removed.size(), sample(removed));
        if (live != null) {
            out.printf("%nagainst %d fault labels:   live      replay%n", live.labels());
            out.printf("  detected              %6d   %6d%n", live.detected(), replay.detected());
            out.printf("  precision             %6.3f   %6.3f%n", live.precision(), replay.precision());
            out.printf("  recall                %6.3f   %6.3f%n", live.recall(), replay.recall());
            out.printf("  mean delay (s)        %6.1f   %6.1f%n", live.meanDelayMs() / 1000, replay.meanDelayMs() / 1000);
        }
        if (!energy.isEmpty()) {
            out.printf("%n%-20s %14s %14s %14s %14s%n", "energy (kWh), site", "live produced", "live consumed",
                    "replay produced", "replay consumed");
            energy.forEach((site, e) -> out.printf("%-20s %14.1f %14.1f %14.1f %14.1f%n", site, e[0], e[1], e[2], e[3]));
        }
    }

    private static String sample(List<String> ids) {
        return ids.isEmpty() ? "" : " (" + String.join(", ", ids.subList(0, Math.min(5, ids.size())))
                + (ids.size() > 5 ? ", ..." : "") + ")";
    }

    /** A bar chart of incidents per kind and site, live beside replay. */
    void chart(Path png, String title) throws java.io.IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500).title(title)
                .xAxisTitle("kind, site").yAxisTitle("incidents").build();
        List<String> keys = new ArrayList<>(incidents.keySet());
        if (keys.isEmpty()) {
            keys.add("none");
        }
        Map<String, List<Integer>> series = new LinkedHashMap<>();
        series.put("live", keys.stream().map(k -> incidents.getOrDefault(k, new int[2])[0]).toList());
        series.put("replay", keys.stream().map(k -> incidents.getOrDefault(k, new int[2])[1]).toList());
        series.forEach((name, values) -> chart.addSeries(name, keys, values));
        chart.getStyler().setXAxisLabelRotation(30);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
