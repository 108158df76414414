package io.twinstream.generator.devices;

import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.CommandAck;
import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.SettableProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The fleet's devices as the far end of the command loop: each reports its settable properties in its readings and
 * answers the commands it is sent, by its {@link Behaviour}. Commands arrive on any thread ({@link #deliver}); the
 * generator's thread applies them when an asset takes its next reading ({@link #beforeReading}), so a run stays
 * single-threaded. A command is applied {@code applyDelayMs} of simulated time after the later of its issue time and
 * the moment it arrived.
 */
public final class SimulatedDevices {

    /** How a device treats its commands: the label a test or a demo judges the twin by. */
    public enum Behaviour {
        /** Acknowledges and applies every command. */
        OBEYS,
        /** Neither answers nor applies: its commands expire. */
        IGNORES,
        /** Answers FAILED and keeps its value. */
        FAILS,
        /** Obeys, then some time after applying a value wanders off it for a while and comes back (a drift). */
        DRIFTS
    }

    /**
     * @param applyDelayMs simulated time between a command's arrival and its value being reported
     * @param driftAfterMs a drifting device leaves its applied value this long after applying it
     * @param driftForMs   and stays away this long
     * @param driftShare   how far it goes, as a share of the property's range
     */
    public record Settings(long applyDelayMs, long driftAfterMs, long driftForMs, double driftShare) {
        public static Settings defaults() {
            return new Settings(2_000, 20_000, 30_000, 0.2);
        }
    }

    /** Where the devices' answers go (the acknowledgements topic). */
    public interface AckSink {
        void ack(CommandAck ack) throws Exception;
    }

    private final Function<String, Behaviour> behaviours;
    private final Settings settings;
    private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final Map<String, Device> devices = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    private long applied;

    /** @param behaviours each asset id's behaviour (a fixed map, or a share of the fleet drawn from a seed) */
    public SimulatedDevices(Function<String, Behaviour> behaviours, Settings settings) {
        this.behaviours = behaviours;
        this.settings = settings;
    }

    /**
     * Behaviours drawn per asset from {@code seed}: shares of the fleet that ignore, fail or drift; the rest obey. The
     * same asset id always draws the same behaviour.
     */
    public static Function<String, Behaviour> drawn(long seed, double ignoreShare, double failShare, double driftShare) {
        return assetId -> {
            double u = new java.util.SplittableRandom(seed * 31 + assetId.hashCode()).nextDouble();
            return u < ignoreShare ? Behaviour.IGNORES : u < ignoreShare + failShare ? Behaviour.FAILS
                    : u < ignoreShare + failShare + driftShare ? Behaviour.DRIFTS : Behaviour.OBEYS;
        };
    }

    /** A command for one of the devices, from any thread. */
    public void deliver(Command c) {
        inbox.add(c);
        received.incrementAndGet();
    }

    public long received() {
        return received.get();
    }

    public long applied() {
        return applied;
    }

    public Behaviour behaviour(String assetId) {
        return behaviours.apply(assetId);
    }

    /**
     * Asset {@code assetId} takes a reading at simulated time {@code ts}: commands that reached it are answered, due
     * ones applied, and its reported settable values are added to {@code readings}.
     */
    public void beforeReading(String assetId, AssetModel model, long ts, Map<String, Double> readings, AckSink acks)
            throws Exception {
        if (model.settable().isEmpty()) {
            return;
        }
        Device d = devices.computeIfAbsent(assetId, id -> new Device(behaviours.apply(id), model));
        for (Iterator<Command> it = inbox.iterator(); it.hasNext(); ) {
            Command c = it.next();
            Device target = c.assetId().equals(assetId) ? d : devices.get(c.assetId());
            if (target == null) {
                continue; // its asset has not taken a reading yet
            }
            it.remove();
            target.receive(c, ts, acks);
        }
        d.apply(ts, acks);
        for (SettableProperty p : model.settable()) {
            readings.put(p.name(), d.reportedAt(p, ts));
        }
    }

    private final class Device {
        final Behaviour behaviour;
        final Map<String, Double> values = new HashMap<>();
        final List<Pending> pending = new ArrayList<>();
        final Map<String, Long> appliedAt = new HashMap<>();

        Device(Behaviour behaviour, AssetModel model) {
            this.behaviour = behaviour;
            for (SettableProperty p : model.settable()) {
                values.put(p.name(), (p.min() + p.max()) / 2);
            }
        }

        void receive(Command c, long now, AckSink acks) throws Exception {
            if (c.expiresAt() < now) {
                return; // too late to apply: the twin counts it expired anyway
            }
            switch (behaviour) {
                case IGNORES -> { }
                case FAILS -> acks.ack(new CommandAck(SchemaVersions.COMMAND_ACK, c.assetId(), c.commandId(),
                        CommandAck.Status.FAILED, now, "simulated failure"));
                default -> {
                    long at = Math.max(now, c.issuedAt()) + settings.applyDelayMs();
                    if (c.property() == null) {
                        // an explicit command (restart, ...): acknowledged once carried out
                        pending.add(new Pending(at, null, 0, c));
                    } else {
                        acks.ack(new CommandAck(SchemaVersions.COMMAND_ACK, c.assetId(), c.commandId(),
                                CommandAck.Status.ACCEPTED, now, null));
                        pending.add(new Pending(at, c.property(), c.value(), c));
                    }
                }
            }
        }

        void apply(long ts, AckSink acks) throws Exception {
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.at <= ts) {
                    if (p.property == null) {
                        acks.ack(new CommandAck(SchemaVersions.COMMAND_ACK, p.command.assetId(), p.command.commandId(),
                                CommandAck.Status.ACCEPTED, p.at, "carried out"));
                    } else {
                        values.put(p.property, p.value);
                        appliedAt.put(p.property, p.at);
                    }
                    applied++;
                    it.remove();
                }
            }
        }

        double reportedAt(SettableProperty p, long ts) {
            double v = values.get(p.name());
            Long at = appliedAt.get(p.name());
            if (behaviour == Behaviour.DRIFTS && at != null) {
                long start = at + settings.driftAfterMs();
                if (ts >= start && ts < start + settings.driftForMs()) {
                    double away = settings.driftShare() * (p.max() - p.min());
                    v = v + away <= p.max() ? v + away : v - away;
                }
            }
            return v;
        }
    }

    private record Pending(long at, String property, double value, Command command) {}
}
