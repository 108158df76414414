package io.twinstream.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinstream.generator.signals.SignalModel;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulates a fleet and sends its telemetry to a {@link RecordSink}: per asset in event-time order,
 * across assets in turn within one simulation tick (the gcd of the sampling intervals). Every
 * random choice comes from generators seeded by {@link GeneratorConfig#seed()}, one per asset and
 * one for transport faults, so a run is reproducible byte for byte whatever the pacing.
 */
public final class FleetGenerator {
    /** Random faults leave this much simulated time between them so each can be told apart. */
    private static final long MIN_GAP_BETWEEN_FAULTS_MS = 3 * 60_000L;
    /** A finite run ends its random faults this long before its end, so every label is complete. */
    private static final long FAULT_END_MARGIN_MS = 60_000L;

    private final GeneratorConfig config;
    private final List<SimulatedAsset> fleet = new ArrayList<>();
    private final SplittableRandom transportRandom;
    private final PriorityQueue<HeldRecord> held = new PriorityQueue<>();
    private final GeneratorStats stats = new GeneratorStats();
    static final long REALTIME_TICK_MS = 50;
    private final long tickMs;
    private volatile boolean stopped;
    private long heldSequence;
    /** The devices' side of the command loop, or null: readings then carry no settable values. */
    private io.twinstream.generator.devices.SimulatedDevices devices;

    public FleetGenerator(GeneratorConfig config, AssetModels models) {
        this.config = config;
        List<AssetModel> types = config.assetTypes().isEmpty()
                ? List.copyOf(models.all())
                : config.assetTypes().stream().map(t -> requireModel(models, t)).toList();
        SplittableRandom root = new SplittableRandom(config.seed());
        for (int i = 0; i < config.assets(); i++) {
            AssetModel model = types.get(i % types.size());
            // consecutive assets share a site, so every site gets every asset type
            int site = (i / types.size()) % config.sites();
            fleet.add(new SimulatedAsset(i, model, "site-" + String.format("%02d", site), root.split()));
        }
        transportRandom = root.split();
        long gcd = 0;
        for (AssetModel m : types) {
            gcd = gcd(gcd, m.samplingIntervalMs());
        }
        // live, readings go out in small steps (at most REALTIME_TICK_MS after they were taken), not in
        // one burst per sampling interval
        tickMs = config.ratePerSecond() < 0 ? gcd(gcd, REALTIME_TICK_MS) : gcd;
        for (GeneratorConfig.ScheduledFault f : config.scheduledFaults()) {
            fleet.get(f.assetIndex()).schedule(f);
        }
    }

    private static AssetModel requireModel(AssetModels models, String type) {
        AssetModel m = models.get(type);
        if (m == null) {
            throw new IllegalArgumentException("unknown asset type " + type);
        }
        return m;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Simulates devices that report their settable properties and obey (or not) the commands delivered to
     * {@code devices}; their answers go to the sink's {@link RecordSink#ack}. Call before {@link #run}.
     */
    public FleetGenerator withDevices(io.twinstream.generator.devices.SimulatedDevices devices) {
        this.devices = devices;
        return this;
    }

    public GeneratorStats stats() {
        return stats;
    }

    public void stop() {
        stopped = true;
    }

    /** How many assets the fleet has. */
    public int size() {
        return fleet.size();
    }

    /** The model of asset number {@code index}. */
    public AssetModel model(int index) {
        return fleet.get(index).model;
    }

    /** The id the generator gives asset number {@code index}. */
    public String assetId(int index) {
        return fleet.get(index).id;
    }

    /** Runs until the configured duration has been simulated or {@link #stop()} is called. */
    public void run(RecordSink sink) throws Exception {
        long end = config.durationMs() > 0 ? config.startMs() + config.durationMs() : Long.MAX_VALUE;
        long wallStart = System.nanoTime();
        boolean realtime = config.ratePerSecond() < 0;
        for (long t = config.startMs(); t < end && !stopped; t += tickMs) {
            if (realtime) {
                // a device sends a reading after taking it, never before its timestamp
                pace(wallStart, t + tickMs - config.startMs());
            }
            for (SimulatedAsset asset : fleet) {
                while (asset.nextReadingAt < t + tickMs) {
                    asset.emitReading(sink, end);
                }
            }
            releaseHeld(sink, t + tickMs);
            stats.simulatedTime(t + tickMs);
            if (!realtime) {
                pace(wallStart, t + tickMs - config.startMs());
            }
        }
        releaseHeld(sink, Long.MAX_VALUE);
        sink.flush();
    }

    private void pace(long wallStartNanos, long simulatedElapsedMs) {
        double rate = config.ratePerSecond();
        long targetNanos;
        if (rate < 0) {
            targetNanos = wallStartNanos + simulatedElapsedMs * 1_000_000L;
        } else if (rate > 0) {
            targetNanos = wallStartNanos + (long) (stats.sent() / rate * 1e9);
        } else {
            return;
        }
        long wait;
        while (!stopped && (wait = targetNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 100_000_000L));
        }
    }

    private void releaseHeld(RecordSink sink, long upTo) throws Exception {
        while (!held.isEmpty() && held.peek().releaseAt < upTo) {
            HeldRecord h = held.poll();
            long newest = h.asset.newestSentTimestamp;
            TransportFault tag;
            if (newest == Long.MIN_VALUE) {
                tag = null; // nothing of this asset was sent before it: in order
            } else if (newest - h.reading.timestamp() > config.lateThresholdMs()) {
                tag = TransportFault.LATE;
            } else if (newest > h.reading.timestamp()) {
                tag = TransportFault.OUT_OF_ORDER;
            } else {
                tag = null;
            }
            h.asset.send(sink, new GeneratedRecord(h.asset.id, h.bytes, h.reading, tag));
        }
    }

    private static byte[] toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record HeldRecord(long releaseAt, long order, SimulatedAsset asset, Telemetry reading, byte[] bytes)
            implements Comparable<HeldRecord> {
        @Override
        public int compareTo(HeldRecord o) {
            int c = Long.compare(releaseAt, o.releaseAt);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** A sensor or dropout fault on one asset, active in [start, end). */
    private record ActiveFault(FaultKind kind, int sensor, long start, long end, double magnitude) {}

    private final class SimulatedAsset {
        final String id;
        final AssetModel model;
        final String site;
        final SplittableRandom signalRandom;
        final SplittableRandom faultRandom;
        final SignalModel signals;
        final double[] values;
        final double[] stuckValues;
        final List<ActiveFault> planned = new ArrayList<>();
        long nextReadingAt;
        long seq;
        long newestSentTimestamp = Long.MIN_VALUE;
        long nextRandomFaultAt;

        SimulatedAsset(int index, AssetModel model, String site, SplittableRandom random) {
            this.id = idPrefix(model.type()) + "-" + String.format("%05d", index);
            this.model = model;
            this.site = site;
            this.signalRandom = random.split();
            this.faultRandom = random.split();
            this.signals = SignalModel.forType(model, signalRandom.split());
            this.values = new double[model.sensors().size()];
            this.stuckValues = new double[values.length];
            // spread readings of different assets over the sampling interval
            this.nextReadingAt = config.startMs() + (index * 137L) % model.samplingIntervalMs();
            this.nextRandomFaultAt = config.startMs() + config.faultWarmupMs() + drawFaultGap();
        }

        long drawFaultGap() {
            if (config.faultsPerAssetHour() <= 0 || config.faultKinds().isEmpty()) {
                return Long.MAX_VALUE / 4;
            }
            double meanMs = 3_600_000.0 / config.faultsPerAssetHour();
            return (long) (-Math.log(1 - faultRandom.nextDouble()) * meanMs);
        }

        void schedule(GeneratorConfig.ScheduledFault f) {
            long start = config.startMs() + f.startOffsetMs();
            long end = f.durationMs() == Long.MAX_VALUE ? Long.MAX_VALUE : start + f.durationMs();
            int sensor = f.sensor() == null ? pickSensor(f.kind()) : indexOf(f.sensor());
            planned.add(new ActiveFault(f.kind(), sensor, start, end, drawMagnitude(f.kind())));
        }

        int indexOf(String sensor) {
            for (int i = 0; i < model.sensors().size(); i++) {
                if (model.sensors().get(i).name().equals(sensor)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(model.type() + " has no sensor " + sensor);
        }

        int pickSensor(FaultKind kind) {
            if (kind == FaultKind.DROPOUT) {
                return -1;
            }
            if (kind == FaultKind.DEGRADATION) {
                int[] wear = signals.wearSensors();
                return wear[faultRandom.nextInt(wear.length)];
            }
            return faultRandom.nextInt(values.length);
        }

        double drawMagnitude(FaultKind kind) {
            // fraction of the sensor's valid range; the sign is drawn where both directions make sense
            double sign = faultRandom.nextBoolean() ? 1 : -1;
            return switch (kind) {
                case SPIKE -> sign * (0.3 + 0.3 * faultRandom.nextDouble());
                case DRIFT -> sign * (0.15 + 0.15 * faultRandom.nextDouble());
                case NOISE_BURST -> 0.06 + 0.06 * faultRandom.nextDouble();
                default -> 0;
            };
        }

        long drawDuration(FaultKind kind) {
            long interval = model.samplingIntervalMs();
            return switch (kind) {
                case SPIKE -> interval * (1 + faultRandom.nextInt(2));
                case DRIFT -> 180_000 + faultRandom.nextLong(240_000);
                case STUCK -> 120_000 + faultRandom.nextLong(180_000);
                case NOISE_BURST -> 60_000 + faultRandom.nextLong(120_000);
                case DROPOUT -> 60_000 + faultRandom.nextLong(120_000);
                case DEGRADATION -> 600_000 + faultRandom.nextLong(600_000);
            };
        }

        void planRandomFault(long now, long runEnd) {
            if (now < nextRandomFaultAt) {
                return;
            }
            FaultKind[] kinds = config.faultKinds().toArray(FaultKind[]::new);
            FaultKind kind = kinds[faultRandom.nextInt(kinds.length)];
            long duration = drawDuration(kind);
            int sensor = pickSensor(kind);
            double magnitude = drawMagnitude(kind);
            long end = now + duration;
            boolean overlaps = planned.stream().anyMatch(f -> f.end > now - MIN_GAP_BETWEEN_FAULTS_MS);
            if (!overlaps && (runEnd == Long.MAX_VALUE || end <= runEnd - FAULT_END_MARGIN_MS)) {
                planned.add(new ActiveFault(kind, sensor, now, end, magnitude));
            }
            nextRandomFaultAt = end + MIN_GAP_BETWEEN_FAULTS_MS + drawFaultGap();
        }

        void emitReading(RecordSink sink, long runEnd) throws Exception {
            long ts = nextReadingAt;
            nextReadingAt += model.samplingIntervalMs();
            planRandomFault(ts, runEnd);
            signals.next(model.samplingIntervalMs(), signalRandom, values);
            boolean silent = false;
            for (ActiveFault f : planned) {
                if (f.start == ts || (f.start < ts && f.start > ts - model.samplingIntervalMs())) {
                    labelStart(sink, f, runEnd);
                }
                if (ts >= f.start && ts < f.end) {
                    silent |= applyFault(f, ts);
                }
            }
            planned.removeIf(f -> f.end <= ts && f.end != Long.MAX_VALUE);
            if (silent) {
                return;
            }
            Map<String, Double> readings = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                readings.put(model.sensors().get(i).name(), values[i]);
            }
            if (devices != null) {
                devices.beforeReading(id, model, ts, readings, sink::ack);
            }
            seq++;
            Telemetry reading = new Telemetry(SchemaVersions.TELEMETRY, id + ":" + seq, id, model.type(), site,
                    ts, seq, readings);
            byte[] bytes = toJson(reading);
            injectExtras(sink, reading, bytes);
            if (transportRandom.nextDouble() < config.lateRate()) {
                held.add(new HeldRecord(ts + config.lateDelayMs(), heldSequence++, this, reading, bytes));
            } else if (transportRandom.nextDouble() < config.outOfOrderRate()) {
                long delay = 1 + transportRandom.nextLong(Math.max(1, config.outOfOrderMaxDelayMs()));
                held.add(new HeldRecord(ts + delay, heldSequence++, this, reading, bytes));
            } else {
                send(sink, new GeneratedRecord(id, bytes, reading, null));
                if (transportRandom.nextDouble() < config.duplicateRate()) {
                    send(sink, new GeneratedRecord(id, bytes, reading, TransportFault.DUPLICATE));
                }
            }
        }

        void labelStart(RecordSink sink, ActiveFault f, long runEnd) throws Exception {
            String sensor = f.sensor < 0 ? null : model.sensors().get(f.sensor).name();
            long end = Math.min(f.end, runEnd);
            if (f.kind == FaultKind.STUCK) {
                stuckValues[f.sensor] = Double.NaN;
            }
            sink.label(new FaultLabel(id, model.type(), site, sensor, f.kind, f.start, end));
            stats.faultStarted();
        }

        /** Changes the reading in place; returns true if the asset is silent. */
        boolean applyFault(ActiveFault f, long ts) {
            if (f.kind == FaultKind.DROPOUT) {
                return true;
            }
            int i = f.sensor;
            var spec = model.sensors().get(i);
            double range = spec.max() - spec.min();
            double progress = f.end == Long.MAX_VALUE ? 1 : (ts - f.start) / (double) (f.end - f.start);
            switch (f.kind) {
                case SPIKE -> values[i] += f.magnitude * range;
                case DRIFT -> values[i] += f.magnitude * range * progress;
                case NOISE_BURST -> values[i] += f.magnitude * range * signalRandom.nextGaussian();
                case STUCK -> {
                    if (Double.isNaN(stuckValues[i])) {
                        stuckValues[i] = values[i];
                    }
                    values[i] = stuckValues[i];
                }
                case DEGRADATION -> {
                    // accelerating wear: reaches 5 % past the limit at the end of the fault
                    double gap = spec.max() + 0.05 * range - values[i];
                    values[i] += Math.max(0, gap) * progress * progress;
                }
                default -> throw new IllegalStateException();
            }
            return false;
        }

        void injectExtras(RecordSink sink, Telemetry reading, byte[] clean) throws Exception {
            if (transportRandom.nextDouble() < config.malformedRate()) {
                send(sink, new GeneratedRecord(id, malformed(clean), reading, TransportFault.MALFORMED_JSON));
            }
            if (transportRandom.nextDouble() < config.schemaViolationRate()) {
                send(sink, new GeneratedRecord(id, schemaViolation(reading), reading,
                        TransportFault.SCHEMA_VIOLATION));
            }
            if (transportRandom.nextDouble() < config.unknownTypeRate()) {
                Telemetry alien = new Telemetry(reading.schemaVersion(), reading.eventId() + ":x", reading.assetId(),
                        "TOASTER", reading.siteId(), reading.timestamp(), reading.seq(), reading.readings());
                send(sink, new GeneratedRecord(id, toJson(alien), reading, TransportFault.UNKNOWN_ASSET_TYPE));
            }
        }

        byte[] malformed(byte[] clean) {
            return switch (transportRandom.nextInt(3)) {
                case 0 -> Arrays.copyOf(clean, 1 + transportRandom.nextInt(clean.length - 2)); // truncated
                case 1 -> {
                    byte[] garbage = new byte[8 + transportRandom.nextInt(40)];
                    transportRandom.nextBytes(garbage);
                    garbage[0] = (byte) 0xFF; // never valid UTF-8, never valid JSON
                    yield garbage;
                }
                default -> new String(clean, StandardCharsets.UTF_8).replace("\"readings\":{", "\"readings\":[")
                        .getBytes(StandardCharsets.UTF_8);
            };
        }

        byte[] schemaViolation(Telemetry reading) {
            ObjectNode node = Json.MAPPER.valueToTree(reading);
            switch (transportRandom.nextInt(4)) {
                case 0 -> node.remove("timestamp");
                case 1 -> ((ObjectNode) node.get("readings")).put(model.sensors().get(0).name(), "n/a");
                case 2 -> node.put("seq", "seventeen");
                default -> node.remove("assetId");
            }
            return toJson(node);
        }

        void send(RecordSink sink, GeneratedRecord r) throws Exception {
            if (r.acceptedByTwin()) {
                newestSentTimestamp = Math.max(newestSentTimestamp, r.reading().timestamp());
            }
            sink.send(r);
            stats.recordSent(r);
        }
    }

    static String idPrefix(String assetType) {
        return switch (assetType) {
            case AssetModels.WIND_TURBINE -> "wt";
            case AssetModels.EV_BATTERY -> "ev";
            case AssetModels.INDUSTRIAL_PUMP -> "pump";
            case AssetModels.PATIENT_WEARABLE -> "wear";
            default -> assetType.toLowerCase();
        };
    }
}
