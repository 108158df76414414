package io.twinstream.jobs.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.command.ControlLogic.AckResult;
import io.twinstream.jobs.command.ControlLogic.AssetRef;
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
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.SettableProperty;
import io.twinstream.schemas.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlLogicTest {
    static final AssetModel PUMP = new AssetModel("PUMP", 1, "pump", 1_000,
            List.of(new SensorSpec("flow_m3h", "m3/h", 0, 400)),
            List.of(new SettableProperty("target_flow_m3h", "m3/h", 0, 400, null, 2.0, 30_000L, 60_000L)),
            List.of("restart"));
    static final AssetRef ASSET = new AssetRef("pump-1", "PUMP", "site-a", Map.of("flow_m3h", 100.0));

    final ControlLogic logic = new ControlLogic(new ControlSettings(120_000, 60_000));
    final DeviceControl control = new DeviceControl();
    final List<Command> commands = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final ControlLogic.Out out = new ControlLogic.Out() {
        @Override
        public void command(Command c) {
            commands.add(c);
        }

        @Override
        public void alert(Alert a) {
            alerts.add(a);
        }
    };

    void desire(double value, long at, String source) {
        logic.onDesired(ASSET, control, PUMP, new DesiredState(1, "pump-1", Map.of("target_flow_m3h", value), at, "ops"),
                source, at, out);
    }

    void report(double value, long at) {
        logic.onReading(ASSET, control, PUMP, new Telemetry(1, "e" + at, "pump-1", "PUMP", "site-a", at, at,
                Map.of("flow_m3h", 100.0, "target_flow_m3h", value)), out);
        logic.advanceTo(ASSET, control, PUMP, at, out);
    }

    List<State> states() {
        List<CommandStatus> shown = logic.view(control, PUMP).commands();
        return shown == null ? List.of() : shown.stream().map(CommandStatus::state).toList();
    }

    @Test
    void aDesiredChangeIsOneCommandAppliedWhenTheAssetReportsTheValue() {
        report(100, 1_000);
        desire(250, 2_000, "twin.desired-0@7");
        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.commandId()).isEqualTo("pump-1/target_flow_m3h/twin.desired-0@7");
            assertThat(c.value()).isEqualTo(250.0);
            assertThat(c.issuedAt()).isEqualTo(2_000);
            assertThat(c.expiresAt()).isEqualTo(62_000); // the property's own TTL, not the default
        });
        assertThat(logic.view(control, PUMP).properties().get("target_flow_m3h").inAgreement()).isFalse();
        report(180, 3_000); // on its way
        report(249, 4_000); // within the tolerance of 2
        assertThat(states()).containsExactly(State.APPLIED);
        assertThat(states()).isEmpty(); // an ended command is listed once
        var p = logic.view(control, PUMP).properties().get("target_flow_m3h");
        assertThat(p.inAgreement()).isTrue();
        assertThat(p.desired()).isEqualTo(250.0);
        assertThat(p.reported()).isEqualTo(249.0);
        assertThat(alerts).isEmpty();
    }

    @Test
    void theSameDesiredValueAgainSendsNothingAndAValueAlreadyReportedNeedsNoCommand() {
        report(100, 1_000);
        desire(250, 2_000, "s@1");
        desire(250, 2_500, "s@2"); // a replay of the topic, or another property changed
        assertThat(commands).hasSize(1);
        desire(100, 3_000, "s@3"); // what it reports already
        assertThat(commands).hasSize(1);
        assertThat(states()).containsExactly(State.SUPERSEDED);
    }

    @Test
    void anIgnoredCommandExpiresAndAlertsOnceWithoutAlsoRaisingADrift() {
        report(100, 1_000);
        desire(250, 2_000, "s@1");
        for (long t = 3_000; t <= 200_000; t += 1_000) {
            report(100, t); // the device ignores it
        }
        assertThat(states()).containsExactly(State.EXPIRED);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.COMMAND_EXPIRED);
            assertThat(a.state()).isEqualTo(AlertState.OPENED);
            assertThat(a.startedAt()).isEqualTo(62_000);
            assertThat(a.sensor()).isEqualTo("target_flow_m3h");
        });
        report(250, 201_000); // applied by hand at last
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alerts.get(1).alertId()).isEqualTo(alerts.get(0).alertId());
    }

    @Test
    void anAssetThatDriftsAwayRaisesDesiredStateDriftAndResolvesWhenBack() {
        desire(250, 1_000, "s@1");
        report(250, 2_000);
        report(251, 3_000);
        for (long t = 4_000; t <= 33_000; t += 1_000) {
            report(200, t); // drifted; driftAfterMs is 30 s
        }
        assertThat(alerts).isEmpty();
        report(200, 34_000);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.DESIRED_STATE_DRIFT);
            assertThat(a.startedAt()).isEqualTo(4_000);
            assertThat(a.updatedAt()).isEqualTo(34_000);
            assertThat(a.observed()).isEqualTo(200.0);
            assertThat(a.expected()).isEqualTo(250.0);
        });
        report(200, 60_000);
        assertThat(alerts).hasSize(1); // one incident while it lasts
        report(250, 61_000);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alerts.get(1).resolvedAt()).isEqualTo(61_000);
        assertThat(control.openAlerts()).isZero();
    }

    @Test
    void acknowledgementsMoveTheCommandAndAFailureAlerts() {
        desire(250, 1_000, "s@1");
        String id = commands.get(0).commandId();
        assertThat(logic.onAck(ASSET, control, new CommandAck(1, "pump-1", id, CommandAck.Status.ACCEPTED, 1_500, null),
                out)).isEqualTo(AckResult.APPLIED);
        assertThat(logic.view(control, PUMP).commands()).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(State.ACKED));
        assertThat(logic.onAck(ASSET, control, new CommandAck(1, "pump-1", "nope", CommandAck.Status.ACCEPTED, 1_600,
                null), out)).isEqualTo(AckResult.UNKNOWN_COMMAND);
        assertThat(logic.onAck(ASSET, control, new CommandAck(1, "pump-1", id, CommandAck.Status.FAILED, 1_700,
                "valve jammed"), out)).isEqualTo(AckResult.APPLIED);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.COMMAND_FAILED);
            assertThat(a.reason()).contains("valve jammed");
        });
        assertThat(logic.onAck(ASSET, control, new CommandAck(1, "pump-1", id, CommandAck.Status.ACCEPTED, 1_800, null),
                out)).isEqualTo(AckResult.ALREADY_ENDED);
        assertThat(states()).containsExactly(State.FAILED);
        // a new desired value replaces the failed one: its alert resolves, a new command goes out
        desire(240, 2_000, "s@2");
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(commands).hasSize(2);
    }

    @Test
    void aTombstoneClearsTheDesiredValueAndSupersedesItsCommand() {
        desire(250, 1_000, "s@1");
        logic.onDesired(ASSET, control, PUMP, null, "s@2", 2_000, out);
        assertThat(states()).containsExactly(State.SUPERSEDED);
        assertThat(logic.nextDeadline(control, PUMP)).isEqualTo(Long.MAX_VALUE);
        assertThat(logic.view(control, PUMP).properties().get("target_flow_m3h").desired()).isNull();
    }

    @Test
    void aDesiredStateForAnUnknownPropertyOrOutOfRangeIsRefused() {
        assertThat(ControlLogic.problem(PUMP, new DesiredState(1, "pump-1", Map.of("speed", 1.0), 0, null)))
                .contains("no settable property 'speed'");
        assertThat(ControlLogic.problem(PUMP, new DesiredState(1, "pump-1", Map.of("target_flow_m3h", 900.0), 0,
                null))).contains("outside its range");
        assertThat(ControlLogic.problem(null, new DesiredState(1, "pump-1", Map.of(), 0, null))).contains("no model");
        assertThat(ControlLogic.problem(PUMP, new DesiredState(1, "pump-1", Map.of("target_flow_m3h", 90.0), 0,
                null))).isNull();
    }

    @Test
    void anExplicitCommandIsSentOnceAppliedOnItsAcknowledgementAndAlertsWhenItFailsOrExpires() {
        CommandRequest restart = new CommandRequest(1, "pump-1", "restart", "r-1", 1_000, "ops", 20_000L);
        assertThat(logic.onRequest(ASSET, control, PUMP, restart, "req-0@1", out)).isNull();
        assertThat(logic.onRequest(ASSET, control, PUMP, restart, "req-0@2", out)).contains("already requested");
        assertThat(logic.onRequest(ASSET, control, PUMP, new CommandRequest(1, "pump-1", "selfdestruct", null, 1_000,
                null, null), "req-0@3", out)).contains("declares no command 'selfdestruct'");
        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.commandId()).isEqualTo("pump-1/restart/r-1");
            assertThat(c.name()).isEqualTo("restart");
            assertThat(c.property()).isNull();
            assertThat(c.expiresAt()).isEqualTo(21_000);
        });
        assertThat(logic.onAck(ASSET, control, new CommandAck(1, "pump-1", "pump-1/restart/r-1",
                CommandAck.Status.ACCEPTED, 3_000, null), out)).isEqualTo(AckResult.APPLIED);
        assertThat(states()).containsExactly(State.APPLIED);

        // one that nobody carries out expires and alerts for the command; the next one carried out resolves it
        logic.onRequest(ASSET, control, PUMP, new CommandRequest(1, "pump-1", "restart", "r-2", 10_000, "ops", null),
                "req-0@4", out);
        assertThat(logic.nextDeadline(control, PUMP)).isEqualTo(130_000); // the default TTL
        logic.advanceTo(ASSET, control, PUMP, 130_000, out);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.COMMAND_EXPIRED);
            assertThat(a.sensor()).isEqualTo("restart");
        });
        logic.onRequest(ASSET, control, PUMP, new CommandRequest(1, "pump-1", "restart", "r-3", 140_000, "ops", null),
                "req-0@5", out);
        logic.onAck(ASSET, control, new CommandAck(1, "pump-1", "pump-1/restart/r-3", CommandAck.Status.FAILED,
                141_000, "busy"), out);
        assertThat(alerts).hasSize(1); // still the one incident for restart
        logic.onRequest(ASSET, control, PUMP, new CommandRequest(1, "pump-1", "restart", "r-4", 150_000, "ops", null),
                "req-0@6", out);
        logic.onAck(ASSET, control, new CommandAck(1, "pump-1", "pump-1/restart/r-4", CommandAck.Status.ACCEPTED,
                151_000, null), out);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(control.openAlerts()).isZero();
        assertThat(logic.view(control, PUMP).properties()).as("explicit commands are not properties").isNull();
    }

    @Test
    void theNextDeadlineIsTheEarlierOfExpiryAndDrift() {
        desire(250, 1_000, "s@1");
        assertThat(logic.nextDeadline(control, PUMP)).isEqualTo(61_000);
        report(250, 2_000);
        report(10, 3_000);
        assertThat(logic.nextDeadline(control, PUMP)).isEqualTo(33_000);
    }
}
