package io.twinstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Alert.AlertKind;
import io.twinstream.schemas.Alert.AlertState;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.AlertAction.Action;
import io.twinstream.schemas.Detector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorActionsTest {
    static final String ID = "pump-1/ANOMALY/1000";

    final OperatorActions actions = new OperatorActions();
    final AlertNotes notes = new AlertNotes();
    final List<Alert> out = new ArrayList<>();

    static Alert event(AlertState state, long at) {
        return new Alert(1, ID, "pump-1", "INDUSTRIAL_PUMP", "site-a", AlertKind.ANOMALY, state, Alert.Severity.WARNING,
                "flow_m3h", Detector.RESIDUAL, 0.9, 1, 2, "flow off", 1_000, at, state == AlertState.RESOLVED ? at : null,
                Map.of("flow_m3h", 1.0), null);
    }

    static AlertAction act(Action a, String by, long at) {
        return new AlertAction(1, "pump-1", a == Action.SILENCE || a == Action.UNSILENCE ? null : ID, a, by, at,
                a == Action.COMMENT ? "looking" : null, a == Action.ASSIGN ? by : null,
                a == Action.SILENCE ? 60_000L : null);
    }

    void pass(Alert a) {
        Alert raised = actions.onAlert(notes, a);
        if (raised != null) {
            out.add(raised);
        }
    }

    @Test
    void anAcknowledgementReissuesTheAlertAndLaterEventsCarryIt() {
        pass(event(AlertState.OPENED, 1_000));
        assertThat(actions.onAction(notes, act(Action.ACK, "alice", 2_000), out::add)).isNull();
        assertThat(out).hasSize(2);
        Alert acked = out.get(1);
        assertThat(acked.state()).isEqualTo(AlertState.UPDATED);
        assertThat(acked.acknowledged()).isTrue();
        assertThat(acked.acknowledgedBy()).isEqualTo("alice");
        assertThat(acked.acknowledgedAt()).isEqualTo(2_000);
        assertThat(acked.alertId()).isEqualTo(ID);
        assertThat(actions.onAction(notes, act(Action.ASSIGN, "bob", 2_500), out::add)).isNull();
        assertThat(out.get(2).assignee()).isEqualTo("bob");
        assertThat(out.get(2).acknowledged()).isTrue();
        pass(event(AlertState.RESOLVED, 3_000));
        assertThat(out.get(3).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(out.get(3).acknowledgedBy()).isEqualTo("alice");
        assertThat(out.get(3).assignee()).isEqualTo("bob");
        // resolved: actions on it are refused, and a new incident opens afresh
        assertThat(actions.onAction(notes, act(Action.ACK, "carol", 3_500), out::add)).contains("is resolved");
        assertThat(actions.onAction(notes, new AlertAction(1, "pump-1", "pump-1/ANOMALY/77", Action.ACK, "carol",
                3_600, null, null, null), out::add)).contains("has no open alert");
        assertThat(out).hasSize(4);
    }

    @Test
    void twoAcknowledgementsMillisecondsApartOnOneAlertEndInOneAcknowledgement() {
        pass(event(AlertState.OPENED, 1_000));
        String first = actions.onAction(notes, act(Action.ACK, "alice", 5_000), out::add);
        String second = actions.onAction(notes, act(Action.ACK, "bob", 5_002), out::add);
        assertThat(first).isNull();
        assertThat(second).contains("already acknowledged by alice");
        assertThat(out).filteredOn(a -> a.state() == AlertState.UPDATED).singleElement()
                .satisfies(a -> assertThat(a.acknowledgedBy()).isEqualTo("alice"));
        // an acknowledgement and its withdrawal a few ms apart: the later one's state
        assertThat(actions.onAction(notes, act(Action.UNACK, "alice", 5_003), out::add)).isNull();
        assertThat(out.get(out.size() - 1).acknowledged()).isFalse();
        assertThat(actions.onAction(notes, act(Action.UNACK, "bob", 5_004), out::add)).contains("not acknowledged");
    }

    @Test
    void aSilenceHoldsNewIncidentsAndRaisesThoseStillOpenWhenItEnds() {
        assertThat(actions.onAction(notes, act(Action.SILENCE, "ops", 0), out::add)).isNull();
        assertThat(OperatorActions.silenced(notes, 59_999)).isTrue();
        pass(event(AlertState.OPENED, 1_000));
        pass(event(AlertState.UPDATED, 2_000));
        assertThat(out).isEmpty();
        assertThat(actions.nextDeadline(notes)).isEqualTo(60_000);
        actions.advanceTo(notes, 60_000, out::add);
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlertState.OPENED);
            assertThat(a.updatedAt()).isEqualTo(60_000);
            assertThat(a.reason()).contains("silence by ops ended");
        });
        assertThat(actions.nextDeadline(notes)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anIncidentThatOpensAndResolvesDuringASilenceIsNeverRaised() {
        actions.onAction(notes, act(Action.SILENCE, "ops", 0), out::add);
        pass(event(AlertState.OPENED, 1_000));
        pass(event(AlertState.RESOLVED, 5_000));
        actions.advanceTo(notes, 60_000, out::add);
        assertThat(out).isEmpty();
        assertThat(notes.open).isEmpty();
    }

    @Test
    void unsilencingRaisesWhatTheSilenceHeldAtOnce() {
        actions.onAction(notes, act(Action.SILENCE, "ops", 0), out::add);
        pass(event(AlertState.OPENED, 1_000));
        assertThat(actions.onAction(notes, act(Action.UNSILENCE, "ops", 10_000), out::add)).isNull();
        assertThat(out).singleElement().satisfies(a -> assertThat(a.updatedAt()).isEqualTo(10_000));
        assertThat(actions.onAction(notes, act(Action.UNSILENCE, "ops", 11_000), out::add)).contains("not silenced");
    }
}
