package io.twinstream.launcher;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.FaultLabel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts matched to ground-truth fault labels.
 *
 * <p>An alert (its OPENED event) matches a label of the same asset when it was raised between the
 * label's start and its end plus a grace of one window and the raise confirmation. A label is
 * detected when at least one alert matches it; its detection delay is the first match's raise time
 * minus the label's start. Overall precision = matched alerts / all alerts; recall = detected labels
 * / labels. Per fault kind, precision charges the kind with the false alerts whose detector points
 * at it: OFFLINE at DROPOUT, STUCK at STUCK, and RESIDUAL or RANGE at each of SPIKE, DRIFT,
 * NOISE_BURST and DEGRADATION in full (those cannot be told apart by detector, so each of them is
 * charged with all of them: a pessimistic view).
 */
public record EvaluationReport(
        Map<FaultKind, KindResult> perKind,
        int labels,
        int detected,
        int alerts,
        int matchedAlerts,
        double meanDelayMs,
        double p95DelayMs,
        long readings,
        double generateSeconds,
        double pipelineSeconds,
        long windowSlideMs,
        List<String> falseAlerts,
        List<String> missedLabels) {

    public record KindResult(int labels, int detected, int matchedAlerts, int falseAlerts, double meanDelayMs,
            double p95DelayMs) {
        public double recall() {
            return labels == 0 ? 1 : (double) detected / labels;
        }

        public double precision() {
            int all = matchedAlerts + falseAlerts;
            return all == 0 ? 1 : (double) matchedAlerts / all;
        }

        public double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    public double precision() {
        return alerts == 0 ? 1 : (double) matchedAlerts / alerts;
    }

    public double recall() {
        return labels == 0 ? 1 : (double) detected / labels;
    }

    public double f1() {
        double p = precision(), r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    static EvaluationReport match(List<FaultLabel> labels, List<Alert> events, long graceMs, long readings,
            double generateSeconds, double pipelineSeconds, long windowSlideMs) {
        List<Alert> opened = events.stream().filter(a -> a.state() == Alert.AlertState.OPENED).toList();
        Map<FaultKind, List<Long>> delays = new EnumMap<>(FaultKind.class);
        Map<FaultKind, int[]> counts = new EnumMap<>(FaultKind.class); // labels, detected, matched alerts, false alerts
        for (FaultKind k : FaultKind.values()) {
            delays.put(k, new ArrayList<>());
            counts.put(k, new int[4]);
        }
        boolean[] alertMatched = new boolean[opened.size()];
        List<String> missed = new ArrayList<>();
        for (FaultLabel l : labels) {
            counts.get(l.kind())[0]++;
            long firstRaise = Long.MAX_VALUE;
            for (int i = 0; i < opened.size(); i++) {
                Alert a = opened.get(i);
                if (a.assetId().equals(l.assetId()) && a.updatedAt() >= l.start() && a.updatedAt() <= l.end() + graceMs) {
                    if (!alertMatched[i]) {
                        alertMatched[i] = true;
                        counts.get(l.kind())[2]++;
                    }
                    firstRaise = Math.min(firstRaise, a.updatedAt());
                }
            }
            if (firstRaise != Long.MAX_VALUE) {
                counts.get(l.kind())[1]++;
                delays.get(l.kind()).add(firstRaise - l.start());
            } else {
                String nearest = events.stream().filter(a -> a.assetId().equals(l.assetId()))
                        .min(java.util.Comparator.comparingLong(a -> Math.abs(a.updatedAt() - l.start())))
                        .map(a -> a.state() + " " + a.kind() + " at start" + signed(a.updatedAt() - l.start())
                                + " opened at start" + signed(a.startedAt() - l.start()))
                        .orElse("no alert on this asset");
                missed.add(l.kind() + " " + l.assetId() + " " + l.sensor() + " " + (l.end() - l.start()) / 1000
                        + " s long; nearest alert event: " + nearest);
            }
        }
        List<String> falseAlerts = new ArrayList<>();
        int matched = 0;
        for (int i = 0; i < opened.size(); i++) {
            if (alertMatched[i]) {
                matched++;
                continue;
            }
            Alert a = opened.get(i);
            falseAlerts.add(a.alertId() + " " + a.reason());
            for (FaultKind k : chargedKinds(a.detector())) {
                counts.get(k)[3]++;
            }
        }
        Map<FaultKind, KindResult> perKind = new EnumMap<>(FaultKind.class);
        List<Long> all = new ArrayList<>();
        int detected = 0;
        for (FaultKind k : FaultKind.values()) {
            int[] c = counts.get(k);
            List<Long> d = delays.get(k);
            all.addAll(d);
            detected += c[1];
            perKind.put(k, new KindResult(c[0], c[1], c[2], c[3], mean(d), p95(d)));
        }
        return new EvaluationReport(perKind, labels.size(), detected, opened.size(), matched, mean(all), p95(all),
                readings, generateSeconds, pipelineSeconds, windowSlideMs, falseAlerts, missed);
    }

    private static String signed(long ms) {
        return String.format("%+.0f s", ms / 1000.0);
    }

    private static List<FaultKind> chargedKinds(Detector d) {
        return switch (d) {
            case OFFLINE -> List.of(FaultKind.DROPOUT);
            case STUCK -> List.of(FaultKind.STUCK);
            default -> List.of(FaultKind.SPIKE, FaultKind.DRIFT, FaultKind.NOISE_BURST, FaultKind.DEGRADATION);
        };
    }

    private static double mean(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
    }

    private static double p95(List<Long> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = v.stream().sorted().toList();
        return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    }

    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-12s %6s %8s %9s %6s %9s %6s %6s %6s %12s %12s%n", "fault kind", "labels", "detected",
                "alerts ok", "false", "precision", "recall", "F1", "", "mean delay", "p95 delay"));
        for (Map.Entry<FaultKind, KindResult> e : perKind.entrySet()) {
            KindResult r = e.getValue();
            b.append(String.format("%-12s %6d %8d %9d %6d %9.3f %6.3f %6.3f %6s %10.1f s %10.1f s%n", e.getKey(),
                    r.labels(), r.detected(), r.matchedAlerts(), r.falseAlerts(), r.precision(), r.recall(), r.f1(), "",
                    r.meanDelayMs() / 1000, r.p95DelayMs() / 1000));
        }
        b.append(String.format("%-12s %6d %8d %9d %6d %9.3f %6.3f %6.3f %6s %10.1f s %10.1f s%n", "OVERALL", labels,
                detected, matchedAlerts, alerts - matchedAlerts, precision(), recall(), f1(), "", meanDelayMs / 1000,
                p95DelayMs / 1000));
        b.append(String.format("%nspike detection delay: mean %.1f s, p95 %.1f s (%.2f windows of %d ms slide at p95)%n",
                perKind.get(FaultKind.SPIKE).meanDelayMs() / 1000, perKind.get(FaultKind.SPIKE).p95DelayMs() / 1000,
                perKind.get(FaultKind.SPIKE).p95DelayMs() / windowSlideMs, windowSlideMs));
        b.append(String.format("%,d readings generated in %.1f s; pipeline ran in %.1f s%n", readings,
                generateSeconds, pipelineSeconds));
        if (!missedLabels.isEmpty()) {
            b.append("missed faults (first 10):\n");
            missedLabels.stream().limit(10).forEach(f -> b.append("  ").append(f).append('\n'));
        }
        if (!falseAlerts.isEmpty()) {
            b.append("false alerts (first 10):\n");
            falseAlerts.stream().limit(10).forEach(f -> b.append("  ").append(f).append('\n'));
        }
        return b.toString();
    }
}
