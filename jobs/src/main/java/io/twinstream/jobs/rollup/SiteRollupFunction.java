package io.twinstream.jobs.rollup;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.FleetFigures;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SiteState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One site's roll-up, keyed by site id, in event time. Its input is what the twin operator emits (snapshots, alert
 * events, energy buckets), which runs ahead of the watermark; it waits in a buffer and is applied at each
 * {@code rollup.step} boundary the watermark passes, in arrival order (one asset's records come in its order), so the
 * site's state at a boundary is a function of the input, also after a failure.
 *
 * <p>At each boundary: the site's SITE_OUTAGE is opened or resolved ({@link SiteOutage}), its {@link SiteState} is
 * written if it changed, and where a period ends, one partial per asset type of the site is set aside, and sent on
 * {@code rollup.lateness} later with the energy of the period's buckets (those arriving later count in the period in
 * progress when they come). The partials are summed per site, per type and for the fleet downstream.
 */
public class SiteRollupFunction extends KeyedProcessFunction<String, RollupInput, RollupPartial> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SiteState> SITE_STATE =
            new OutputTag<>("site-state", TypeInformation.of(SiteState.class));
    public static final OutputTag<Alert> SITE_ALERTS = new OutputTag<>("site-alerts", TypeInformation.of(Alert.class));

    /** What the site keeps besides its assets. */
    public record Progress(long lastBoundary, long lastInputTime, long lastApplied, int lastStateHash, String alertId,
            long alertStart, Alert.Severity alertSeverity, String alertRelated) {}

    /** An open alert of one of the site's assets. */
    public record OpenAlert(String assetId, Alert.Severity severity) {}

    /**
     * Energy summed for one period and type: produced, consumed, produced by rated assets, volume, consumed by assets
     * measuring volume, storage charge and discharge.
     */
    public record EnergySum(double producedKwh, double consumedKwh, double ratedProducedKwh, double volumeM3,
            double pumpedConsumedKwh, double storageChargedKwh, double storageDischargedKwh) {

        double[] values() {
            return new double[] {producedKwh, consumedKwh, ratedProducedKwh, volumeM3, pumpedConsumedKwh,
                storageChargedKwh, storageDischargedKwh};
        }

        static EnergySum of(RollupInput in) {
            return new EnergySum(in.producedKwh(), in.consumedKwh(), in.ratedKw() > 0 ? in.producedKwh() : 0,
                    in.volumeM3(), in.pumped() ? in.consumedKwh() : 0, in.storage() ? in.consumedKwh() : 0,
                    in.storage() ? in.producedKwh() : 0);
        }

        EnergySum plus(EnergySum o) {
            return new EnergySum(producedKwh + o.producedKwh, consumedKwh + o.consumedKwh,
                    ratedProducedKwh + o.ratedProducedKwh, volumeM3 + o.volumeM3, pumpedConsumedKwh + o.pumpedConsumedKwh,
                    storageChargedKwh + o.storageChargedKwh, storageDischargedKwh + o.storageDischargedKwh);
        }
    }

    private final RollupSettings settings;
    private transient MapState<String, AssetFigures> assets;
    private transient MapState<String, OpenAlert> openAlerts;
    private transient ListState<RollupInput> pending;
    private transient MapState<String, EnergySum> energy;
    private transient MapState<String, RollupPartial> closing;
    private transient ValueState<Progress> progress;
    private transient Counter lateEnergy;
    private transient Counter siteAlerts;

    public SiteRollupFunction(RollupSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        var rc = getRuntimeContext();
        assets = rc.getMapState(new MapStateDescriptor<>("site-assets", Types.STRING,
                TypeInformation.of(AssetFigures.class)));
        openAlerts = rc.getMapState(new MapStateDescriptor<>("site-open-alerts", Types.STRING,
                TypeInformation.of(OpenAlert.class)));
        pending = rc.getListState(new ListStateDescriptor<>("site-pending", TypeInformation.of(RollupInput.class)));
        energy = rc.getMapState(new MapStateDescriptor<>("site-energy", Types.STRING,
                TypeInformation.of(EnergySum.class)));
        closing = rc.getMapState(new MapStateDescriptor<>("site-closing", Types.STRING,
                TypeInformation.of(RollupPartial.class)));
        progress = rc.getState(new ValueStateDescriptor<>("site-progress", TypeInformation.of(Progress.class)));
        var metrics = rc.getMetricGroup().addGroup("twinstream");
        lateEnergy = metrics.counter("rollupLateEnergy");
        siteAlerts = metrics.counter("siteAlertsOpened");
    }

    @Override
    public void processElement(RollupInput in, Context ctx, Collector<RollupPartial> out) throws Exception {
        pending.add(in);
        Progress p = progress();
        long wm = ctx.timerService().currentWatermark();
        long boundary = settings.boundaryAfter(Math.max(in.time(), Math.max(p.lastBoundary(), wm == Long.MIN_VALUE ? in.time() : wm)));
        ctx.timerService().registerEventTimeTimer(boundary - 1);
        if (in.time() > p.lastInputTime()) {
            progress.update(new Progress(p.lastBoundary(), in.time(), p.lastApplied(), p.lastStateHash(), p.alertId(),
                    p.alertStart(), p.alertSeverity(), p.alertRelated()));
        }
    }

    private Progress progress() throws Exception {
        Progress p = progress.value();
        return p != null ? p : new Progress(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, 0, null, 0, null, null);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RollupPartial> out) throws Exception {
        long boundary = timestamp + 1;
        Progress p = progress();
        if (boundary <= p.lastBoundary()) {
            return; // a timer registered twice for one boundary
        }
        String site = ctx.getCurrentKey();
        long lastApplied = Math.max(p.lastApplied(), applyPending(boundary));
        Figures f = figures();

        // the site's outage
        String alertId = p.alertId();
        long alertStart = p.alertStart();
        Alert.Severity severity = p.alertSeverity();
        String related = p.alertRelated();
        if (alertId == null && SiteOutage.opens(settings, f.affected, f.assets)) {
            List<String> ids = new ArrayList<>(new java.util.TreeSet<>(openAlertIds()));
            if (ids.size() > Alert.MAX_RELATED) {
                ids = ids.subList(0, Alert.MAX_RELATED);
            }
            alertStart = boundary;
            alertId = SiteOutage.id(site, boundary);
            severity = SiteOutage.severity(settings, f.offline, f.assets);
            related = String.join("\n", ids);
            siteAlerts.inc();
            ctx.output(SITE_ALERTS, SiteOutage.event(site, open(alertId, alertStart, severity, related),
                    Alert.AlertState.OPENED, boundary, f.affected, f.offline, f.assets));
        } else if (alertId != null && SiteOutage.clears(settings, f.affected, f.assets)) {
            ctx.output(SITE_ALERTS, SiteOutage.event(site, open(alertId, alertStart, severity, related),
                    Alert.AlertState.RESOLVED, boundary, f.affected, f.offline, f.assets));
            alertId = null;
            related = null;
            severity = null;
        } else if (alertId != null && severity == Alert.Severity.WARNING
                && SiteOutage.severity(settings, f.offline, f.assets) == Alert.Severity.CRITICAL) {
            severity = Alert.Severity.CRITICAL;
            ctx.output(SITE_ALERTS, SiteOutage.event(site, open(alertId, alertStart, severity, related),
                    Alert.AlertState.UPDATED, boundary, f.affected, f.offline, f.assets));
        }

        // the site's current state, when it changed
        FleetFigures siteFigures = f.total.figures();
        SiteState state = new SiteState(SchemaVersions.SITE_STATE, site, boundary, siteFigures, alertId);
        int hash = java.util.Objects.hash(siteFigures, alertId);
        if (hash != p.lastStateHash() || p.lastBoundary() == Long.MIN_VALUE) {
            ctx.output(SITE_STATE, state);
        }

        // periods that end here are set aside; those whose lateness has passed go out with their energy
        boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        boolean idle = lastApplied == Long.MIN_VALUE || boundary > lastApplied + settings.idleAfterMs();
        for (long period : settings.periodsMs()) {
            // no period after the one holding the last input at the end of a bounded input, nor while the site is idle
            if (boundary % period == 0 && !idle
                    && (!ended || boundary <= Math.floorDiv(p.lastInputTime(), period) * period + period)) {
                for (Map.Entry<String, RollupPartial> cell : f.byType.entrySet()) {
                    RollupPartial c = cell.getValue();
                    closing.put(slot(period, boundary, cell.getKey()), new RollupPartial(null, null, site, cell.getKey(),
                            period, boundary, c.assets(), c.online(), c.stale(), c.offline(), c.alertingAssets(),
                            c.openWarning(), c.openCritical(), c.scored(), c.healthSum(), c.worstHealth(), false, 0, 0,
                            c.ratedKw(), 0, 0, 0, 0, 0));
                }
            }
        }
        java.util.TreeSet<String> due = new java.util.TreeSet<>();
        for (String slot : closing.keys()) {
            if (endOf(slot) + settings.latenessMs() <= boundary) {
                due.add(slot);
            }
        }
        for (String slot : energy.keys()) {
            if (endOf(slot) + settings.latenessMs() <= boundary) {
                due.add(slot); // energy of a type that had no asset at the period's end
            }
        }
        for (String slot : due) {
            RollupPartial c = closing.get(slot);
            if (c == null) {
                String[] parts = slot.split("\\|", 3);
                c = RollupPartial.cell(site, parts[2], Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            }
            EnergySum sum = energy.get(slot);
            if (sum != null) {
                c = c.withEnergy(sum.values());
                energy.remove(slot);
            }
            closing.remove(slot);
            out.collect(c);
        }

        progress.update(new Progress(boundary, p.lastInputTime(), lastApplied, hash, alertId, alertStart, severity,
                related));
        scheduleNext(ctx, boundary, p.lastInputTime(), lastApplied);
    }

    private static SiteOutage.Open open(String id, long start, Alert.Severity severity, String related) {
        return new SiteOutage.Open(id, start, severity, related == null || related.isEmpty() ? List.of()
                : List.of(related.split("\n")));
    }

    /**
     * The next boundary. While the site's input goes on, every step, so that a site whose assets fell silent still goes
     * OFFLINE and pages; once nothing of it has been applied for {@code rollup.site-idle-after}, only where something is
     * owed (buffered input, a period set aside): a site that went quiet for good, or one record from a clock far in the
     * past, does not make the operator tick through the years. At the end of a bounded input (watermark at its
     * maximum) only the boundaries still owed: the end of each period holding the last input, and the lateness of each
     * period set aside; then none. All of it follows from the input in event time, not from when it arrived.
     */
    private void scheduleNext(OnTimerContext ctx, long boundary, long lastInputTime, long lastApplied) throws Exception {
        long step = boundary + settings.stepMs();
        boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        long next = Long.MAX_VALUE;
        if (ended) {
            for (long period : settings.periodsMs()) {
                long end = Math.floorDiv(lastInputTime, period) * period + period;
                if (end > boundary) {
                    next = Math.min(next, end);
                }
            }
        } else if (lastApplied != Long.MIN_VALUE && step <= lastApplied + settings.idleAfterMs()) {
            next = step;
        } else {
            long firstPending = Long.MAX_VALUE;
            for (RollupInput in : pending.get()) {
                firstPending = Math.min(firstPending, in.time());
            }
            if (firstPending != Long.MAX_VALUE) {
                next = Math.max(step, settings.boundaryAfter(firstPending));
            }
        }
        for (String slot : closing.keys()) {
            next = Math.min(next, Math.max(endOf(slot) + settings.latenessMs(), step));
        }
        for (String slot : energy.keys()) {
            next = Math.min(next, Math.max(endOf(slot) + settings.latenessMs(), step));
        }
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(next - 1);
        }
    }

    /** Key of one period's figures for one type: zero-padded, so that slots sort by period, then end. */
    private static String slot(long period, long end, String type) {
        return String.format("%015d|%015d|%s", period, end, type);
    }

    private static long endOf(String slot) {
        return Long.parseLong(slot.substring(16, 31));
    }

    private List<String> openAlertIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String id : openAlerts.keys()) {
            ids.add(id);
        }
        return ids;
    }

    /** Applies the buffered input before {@code boundary}, in arrival order, keeps the rest; the latest time applied. */
    private long applyPending(long boundary) throws Exception {
        List<RollupInput> later = new ArrayList<>();
        long applied = Long.MIN_VALUE;
        for (RollupInput in : pending.get()) {
            if (in.time() >= boundary) {
                later.add(in);
            } else {
                apply(in, boundary);
                applied = Math.max(applied, in.time());
            }
        }
        if (applied != Long.MIN_VALUE) {
            pending.update(later);
        }
        return applied;
    }

    private void apply(RollupInput in, long boundary) throws Exception {
        if (in.isSnapshot()) {
            AssetFigures a = assets.get(in.assetId());
            a = a == null ? AssetFigures.empty(in.assetType()) : a;
            assets.put(in.assetId(), a.withSnapshot(in.assetType(), in.status(), in.health(), in.ratedKw()));
        } else if (in.isAlert()) {
            OpenAlert before = openAlerts.get(in.alertId());
            int dw = 0;
            int dc = 0;
            if (before != null) {
                dw -= before.severity() == Alert.Severity.WARNING ? 1 : 0;
                dc -= before.severity() == Alert.Severity.CRITICAL ? 1 : 0;
            }
            if (in.alertOpen()) {
                openAlerts.put(in.alertId(), new OpenAlert(in.assetId(), in.severity()));
                dw += in.severity() == Alert.Severity.WARNING ? 1 : 0;
                dc += in.severity() == Alert.Severity.CRITICAL ? 1 : 0;
            } else {
                openAlerts.remove(in.alertId());
            }
            if (dw != 0 || dc != 0) {
                AssetFigures a = assets.get(in.assetId());
                a = a == null ? AssetFigures.empty(in.assetType()) : a;
                assets.put(in.assetId(), a.withAlerts(dw, dc));
            }
        } else {
            long smallest = settings.periodsMs()[0];
            for (long period : settings.periodsMs()) {
                long end = Math.floorDiv(in.energyStart(), period) * period + period;
                if (end + settings.latenessMs() < boundary) {
                    // its period's roll-up went out already: it counts in the period in progress
                    end = Math.floorDiv(boundary - 1, period) * period + period;
                    if (period == smallest) {
                        lateEnergy.inc();
                    }
                }
                String slot = slot(period, end, in.assetType());
                EnergySum sum = energy.get(slot);
                energy.put(slot, sum == null ? EnergySum.of(in) : sum.plus(EnergySum.of(in)));
            }
        }
    }

    /** The site's assets summed, in all and per type. */
    private static final class Figures {
        RollupPartial total;
        final Map<String, RollupPartial> byType = new TreeMap<>();
        int assets;
        int offline;
        int affected;
    }

    private Figures figures() throws Exception {
        Figures f = new Figures();
        f.total = RollupPartial.cell(null, null, 0, 0);
        for (AssetFigures a : assets.values()) {
            if (a.status() == null) {
                continue;
            }
            RollupPartial one = new RollupPartial(null, null, null, a.assetType(), 0, 0, 1,
                    a.status() == AssetStatus.ONLINE ? 1 : 0, a.status() == AssetStatus.STALE ? 1 : 0,
                    a.status() == AssetStatus.OFFLINE ? 1 : 0, a.openWarning() + a.openCritical() > 0 ? 1 : 0,
                    a.openWarning(), a.openCritical(), a.health() == null ? 0 : 1,
                    a.health() == null ? 0 : a.health(), a.health() == null ? Double.POSITIVE_INFINITY : a.health(),
                    false, 0, 0, a.ratedKw(), 0, 0, 0, 0, 0);
            f.total = RollupPartial.merge(f.total, one);
            f.byType.merge(a.assetType(), one, RollupPartial::merge);
            f.assets++;
            f.offline += a.status() == AssetStatus.OFFLINE ? 1 : 0;
            f.affected += a.affected() ? 1 : 0;
        }
        return f;
    }
}
