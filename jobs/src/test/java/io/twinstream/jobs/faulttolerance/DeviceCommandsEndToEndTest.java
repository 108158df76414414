package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.devices.CommandListener;
import io.twinstream.generator.devices.SimulatedDevices;
import io.twinstream.generator.devices.SimulatedDevices.Behaviour;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.jobs.testing.Probes;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Command;
import io.twinstream.schemas.CommandAck;
import io.twinstream.schemas.CommandRequest;
import io.twinstream.schemas.CommandStatus;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.DesiredState;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.TwinSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole command loop on the real broker and a real Flink job: desired states on {@code twin.desired}, the job's
 * commands on {@code twin.commands} (exactly-once), simulated pumps that read them as devices do and answer on
 * {@code telemetry.acks} and in their readings. Four pumps, one per behaviour: the one that obeys ends APPLIED and in
 * agreement; the one that ignores its command ends EXPIRED with a COMMAND_EXPIRED alert; the one that fails it ends
 * FAILED with a COMMAND_FAILED alert; the one that applies it and then wanders off raises DESIRED_STATE_DRIFT and
 * resolves it when it comes back. An SRE acknowledges an alert (a second acknowledgement milliseconds later is refused)
 * and silences a pump for maintenance. Bad control records are dead letters with their reasons.
 */
class DeviceCommandsEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String TARGET = "target_flow_m3h";

    PipelineConfig c;

    @Test
    void desiredStateBecomesCommandsThatDevicesApplyIgnoreFailOrDriftFrom() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            PipelineFixture fixture = new PipelineFixture(kafka);
            kafka.createTopic("devices.in", 2, Map.of());
            c = fixture.run("devices", "devices.in")
                    .with(Key.BOUNDED, "false")
                    .with(Key.STARTING_OFFSETS, "earliest")
                    .with(Key.CHECKPOINT_INTERVAL, "300 ms")
                    .with(Key.MAX_OUT_OF_ORDERNESS, "0 s")
                    .with(Key.SNAPSHOT_MIN_INTERVAL, "1 ms")
                    .with(Key.COMMAND_TTL, "10 s")
                    .with(Key.DRIFT_AFTER, "3 s");
            JobClient job = start(c);

            GeneratorConfig g = new GeneratorConfig(7, 4, 1, List.of(AssetModels.INDUSTRIAL_PUMP),
                    System.currentTimeMillis() / 1000 * 1000, 0, -1, 0, Set.of(FaultKind.SPIKE), 0, List.of(),
                    0, 0, 0, 0, 0, 15_000, 0, 0, 0);
            FleetGenerator generator = new FleetGenerator(g, AssetModels.builtIn());
            Map<String, Behaviour> behaviours = Map.of(
                    generator.assetId(0), Behaviour.OBEYS, generator.assetId(1), Behaviour.IGNORES,
                    generator.assetId(2), Behaviour.FAILS, generator.assetId(3), Behaviour.DRIFTS);
            SimulatedDevices devices = new SimulatedDevices(behaviours::get,
                    new SimulatedDevices.Settings(1_000, 3_000, 8_000, 0.2));
            Map<String, Object> clients = new HashMap<>();
            c.kafkaProperties().forEach((k, v) -> clients.put((String) k, v));
            KafkaRecordSink sink = new KafkaRecordSink(clients, c.get(Key.TOPIC_TELEMETRY), null)
                    .withAcks(c.get(Key.TOPIC_ACKS));
            generator.withDevices(devices);
            Thread run = new Thread(() -> {
                try {
                    generator.run(sink);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "generator");
            run.start();
            try (CommandListener listener = new CommandListener(clients, c.get(Key.TOPIC_COMMANDS), devices);
                    KafkaProducer<String, String> producer = new KafkaProducer<>(c.kafkaProperties(),
                            new StringSerializer(), new StringSerializer())) {
                for (String asset : behaviours.keySet()) {
                    await(asset + " has a twin reporting its target", () -> latest(asset,
                            s -> s.properties() != null && s.properties().get(TARGET).reported() != null));
                }
                long now = System.currentTimeMillis();
                for (String asset : behaviours.keySet()) {
                    producer.send(new ProducerRecord<>(c.get(Key.TOPIC_DESIRED), asset, Json.MAPPER.writeValueAsString(
                            new DesiredState(1, asset, Map.of(TARGET, 250.0), now, "test")))).get();
                }
                // an explicit restart for the pump that obeys and for the one that ignores
                for (int i : new int[] {0, 1}) {
                    producer.send(new ProducerRecord<>(c.get(Key.TOPIC_COMMAND_REQUESTS), generator.assetId(i),
                            Json.MAPPER.writeValueAsString(new CommandRequest(1, generator.assetId(i), "restart",
                                    "restart-" + i, now, "test", null)))).get();
                }
                // and two that must be refused
                producer.send(new ProducerRecord<>(c.get(Key.TOPIC_DESIRED), generator.assetId(0), Json.MAPPER
                        .writeValueAsString(new DesiredState(1, generator.assetId(0), Map.of("speed_rpm", 1.0), now,
                                "test")))).get();
                producer.send(new ProducerRecord<>(c.get(Key.TOPIC_ACKS), generator.assetId(0), Json.MAPPER
                        .writeValueAsString(new CommandAck(1, generator.assetId(0), "never-sent",
                                CommandAck.Status.ACCEPTED, now, null)))).get();

                String obeys = generator.assetId(0);
                TwinSnapshot applied = await(obeys + " applied and in agreement", () -> latest(obeys,
                        s -> s.commands() != null && s.commands().stream()
                                .anyMatch(x -> x.state() == CommandStatus.State.APPLIED)));
                assertThat(applied.properties().get(TARGET).desired()).isEqualTo(250.0);
                assertThat(applied.properties().get(TARGET).reported()).isEqualTo(250.0);
                assertThat(applied.properties().get(TARGET).inAgreement()).isTrue();

                String ignores = generator.assetId(1);
                Alert expired = await("COMMAND_EXPIRED of " + ignores, () -> alerts().stream().filter(a -> a.assetId()
                        .equals(ignores) && a.kind() == AlertKind.COMMAND_EXPIRED && TARGET.equals(a.sensor())
                        && a.state() == AlertState.OPENED).findFirst().orElse(null));
                assertThat(expired.sensor()).isEqualTo(TARGET);
                assertThat(expired.expected()).isEqualTo(250.0);
                await(ignores + " shows its command EXPIRED", () -> latest(ignores, s -> s.commands() != null
                        && s.commands().stream().anyMatch(x -> x.state() == CommandStatus.State.EXPIRED)));

                // an SRE acknowledges it; a second acknowledgement two milliseconds later is refused
                long t = System.currentTimeMillis();
                for (String who : List.of("alice", "bob")) {
                    producer.send(new ProducerRecord<>(c.get(Key.TOPIC_ALERT_ACTIONS), ignores, Json.MAPPER
                            .writeValueAsString(new AlertAction(1, ignores, expired.alertId(), AlertAction.Action.ACK,
                                    who, t, "on it", null, null)))).get();
                    t += 2;
                }
                Alert acked = await(expired.alertId() + " acknowledged", () -> alerts().stream()
                        .filter(a -> a.alertId().equals(expired.alertId()) && Boolean.TRUE.equals(a.acknowledged()))
                        .findFirst().orElse(null));
                assertThat(acked.state()).isEqualTo(AlertState.UPDATED);
                assertThat(acked.acknowledgedBy()).isEqualTo("alice");
                assertThat(acked.note()).isEqualTo("on it");
                await("the second acknowledgement refused", () -> deadLetters().stream().anyMatch(
                        d -> d.reasonCode() == RejectReason.INVALID_ALERT_ACTION
                                && d.reason().contains("already acknowledged by alice")));
                assertThat(alerts()).filteredOn(a -> a.alertId().equals(expired.alertId()))
                        .filteredOn(a -> Boolean.TRUE.equals(a.acknowledged())).extracting(Alert::acknowledgedBy)
                        .containsOnly("alice");

                String fails = generator.assetId(2);
                Alert failed = await("COMMAND_FAILED of " + fails, () -> alert(fails, AlertKind.COMMAND_FAILED,
                        AlertState.OPENED));
                assertThat(failed.reason()).contains("simulated failure");

                String drifts = generator.assetId(3);
                Alert drift = await("DESIRED_STATE_DRIFT of " + drifts, () -> alert(drifts,
                        AlertKind.DESIRED_STATE_DRIFT, AlertState.OPENED));
                Alert back = await("DESIRED_STATE_DRIFT of " + drifts + " resolved", () -> alert(drifts,
                        AlertKind.DESIRED_STATE_DRIFT, AlertState.RESOLVED));
                assertThat(back.alertId()).isEqualTo(drift.alertId());
                assertThat(back.resolvedAt() - drift.startedAt()).as("the drift lasted about driftForMs")
                        .isBetween(6_000L, 12_000L);
                // the drifting pump applied its command before it drifted; the failing and ignoring ones raised no drift
                assertThat(alerts()).filteredOn(a -> a.kind() == AlertKind.DESIRED_STATE_DRIFT)
                        .extracting(Alert::assetId).containsOnly(drifts);

                await(obeys + "'s restart carried out", () -> latest(obeys, s -> s.commands() != null && s.commands()
                        .stream().anyMatch(x -> x.name().equals("restart") && x.state() == CommandStatus.State.APPLIED)));
                Alert restartExpired = await("the ignored restart expired", () -> alerts().stream().filter(a -> a.assetId()
                        .equals(ignores) && a.kind() == AlertKind.COMMAND_EXPIRED && "restart".equals(a.sensor()))
                        .findFirst().orElse(null));
                assertThat(restartExpired.state()).isEqualTo(AlertState.OPENED);

                // one command per pump and desired value, one per restart, each id once, to read_committed consumers
                List<Command> all = commands();
                assertThat(all).extracting(Command::commandId).doesNotHaveDuplicates();
                assertThat(all).filteredOn(x -> x.name().equals("restart")).extracting(Command::commandId)
                        .containsExactlyInAnyOrder(obeys + "/restart/restart-0", ignores + "/restart/restart-1");
                List<Command> commands = all.stream().filter(x -> x.name().equals(Command.SET)).toList();
                assertThat(commands).extracting(Command::assetId).containsExactlyInAnyOrderElementsOf(behaviours.keySet());
                assertThat(commands).extracting(Command::commandId).doesNotHaveDuplicates();
                assertThat(commands).allSatisfy(x -> {
                    assertThat(x.value()).isEqualTo(250.0);
                    assertThat(x.expiresAt() - x.issuedAt()).isEqualTo(10_000);
                });
                assertThat(devices.received()).isEqualTo(6);

                List<DeadLetter> dead = deadLetters();
                assertThat(dead).extracting(DeadLetter::reasonCode)
                        .contains(RejectReason.INVALID_DESIRED_STATE, RejectReason.UNKNOWN_COMMAND);
                assertThat(dead).filteredOn(d -> d.reasonCode() == RejectReason.INVALID_DESIRED_STATE)
                        .singleElement().satisfies(d -> assertThat(d.reason()).contains("speed_rpm"));
                assertThat(listener.failure()).isNull();

                // a maintenance window on the obeying pump: its snapshots show the silence
                producer.send(new ProducerRecord<>(c.get(Key.TOPIC_ALERT_ACTIONS), obeys, Json.MAPPER.writeValueAsString(
                        new AlertAction(1, obeys, null, AlertAction.Action.SILENCE, "ops", System.currentTimeMillis(),
                                "pump overhaul", null, 600_000L)))).get();
                TwinSnapshot silenced = await(obeys + " silenced", () -> latest(obeys, s -> s.silence() != null));
                assertThat(silenced.silence().by()).isEqualTo("ops");
                assertThat(silenced.silence().note()).isEqualTo("pump overhaul");
            } finally {
                generator.stop();
                run.join(10_000);
                sink.close();
                job.cancel().get();
                FaultToleranceTest.awaitGone(job); // its sinks abort their transactions while the broker is still up
            }
        }
    }

    static JobClient start(PipelineConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TwinPipeline.build(env, c, c.models(), new KafkaPipelineIo(c));
        return env.executeAsync("device-commands");
    }

    TwinSnapshot latest(String asset, Predicate<TwinSnapshot> match) {
        TwinSnapshot found = null;
        for (var r : TopicReader.readAll(c.kafkaProperties(), c.get(Key.TOPIC_SNAPSHOTS), true)) {
            TwinSnapshot s = StateSchemaEvolutionTest.read(r.value());
            if (s.assetId().equals(asset) && match.test(s)) {
                found = s;
            }
        }
        return found;
    }

    Alert alert(String asset, AlertKind kind, AlertState state) {
        return alerts().stream().filter(a -> a.assetId().equals(asset) && a.kind() == kind && a.state() == state)
                .findFirst().orElse(null);
    }

    List<Alert> alerts() {
        return read(c.get(Key.TOPIC_ALERTS), Alert.class);
    }

    List<Command> commands() {
        return read(c.get(Key.TOPIC_COMMANDS), Command.class);
    }

    List<DeadLetter> deadLetters() {
        return read(c.get(Key.TOPIC_DEAD_LETTER), DeadLetter.class);
    }

    <T> List<T> read(String topic, Class<T> type) {
        return TopicReader.readAll(c.kafkaProperties(), topic, true).stream().map(r -> {
            try {
                return Json.MAPPER.readValue(r.value(), type);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static <T> T await(String what, java.util.concurrent.Callable<T> probe) throws Exception {
        return Probes.await(what, Duration.ofSeconds(90), Duration.ofMillis(250), probe);
    }
}
