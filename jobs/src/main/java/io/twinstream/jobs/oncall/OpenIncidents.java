package io.twinstream.jobs.oncall;

import io.twinstream.schemas.Alert;
import io.twinstream.schemas.Json;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by the incident's {@code alertId}: turns its lifecycle events into what Alertmanager expects.
 * <ul>
 *   <li>An incident that opens is first sent {@code firstSendDelay} later (processing time), then every
 *       {@code resendInterval}, each time ending {@code endsAfter} later: Alertmanager keeps it firing while the bridge
 *       runs and resolves it by itself if the bridge stops. The first send waits so that a bridge reading old events
 *       (a new deployment, or a new consumer group, replaying the topic) sees an incident's later events, usually its
 *       resolution, before it would page for it: an incident that opened and resolved long ago is not paged again.</li>
 *   <li>Once sent, a change is sent at once; a change of labels (a severity rise) resolves the old label set and
 *       fires the new one, since Alertmanager knows them as two alerts.</li>
 *   <li>A resolution is sent at once with the incident's end, and the incident is remembered for
 *       {@code resolvedRetention}, so older events of it replayed later (at least once) do not open it again.</li>
 * </ul>
 * State: the newest open event and the event last sent, as JSON (an alert holds lists Flink would need Kryo for), the
 * event time of the newest event, and the next send.
 */
public final class OpenIncidents extends KeyedProcessFunction<String, AlertRecord, AlertmanagerAlert> {
    private static final long serialVersionUID = 1L;

    private final AlertmanagerMapping mapping;
    private final long firstSendDelayMs;
    private final long resendIntervalMs;
    private final long endsAfterMs;
    private final long resolvedRetentionMs;

    private transient ValueState<String> open;
    private transient ValueState<String> sent;
    private transient ValueState<Long> newestEvent;
    private transient ValueState<Long> sendAt;

    public OpenIncidents(AlertmanagerMapping mapping, Duration firstSendDelay, Duration resendInterval,
            Duration endsAfter, Duration resolvedRetention) {
        this.mapping = mapping;
        this.firstSendDelayMs = firstSendDelay.toMillis();
        this.resendIntervalMs = resendInterval.toMillis();
        this.endsAfterMs = endsAfter.toMillis();
        this.resolvedRetentionMs = resolvedRetention.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-incident", Types.STRING));
        sent = getRuntimeContext().getState(new ValueStateDescriptor<>("sent", Types.STRING));
        ValueStateDescriptor<Long> newest = new ValueStateDescriptor<>("newest-event", Types.LONG);
        newest.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(resolvedRetentionMs)).build());
        newestEvent = getRuntimeContext().getState(newest);
        sendAt = getRuntimeContext().getState(new ValueStateDescriptor<>("send-at", Types.LONG));
    }

    @Override
    public void processElement(AlertRecord in, Context ctx, Collector<AlertmanagerAlert> out) throws Exception {
        Alert a = Json.MAPPER.readValue(in.json(), Alert.class);
        Long newest = newestEvent.value();
        if (newest != null && (open.value() == null || a.updatedAt() < newest)) {
            return; // resolved already, or an older event replayed after a newer one: nothing to tell
        }
        newestEvent.update(a.updatedAt());
        String lastSent = sent.value();
        Alert before = lastSent == null ? null : Json.MAPPER.readValue(lastSent, Alert.class);
        boolean relabelled = before != null && !AlertmanagerMapping.labels(before).equals(AlertmanagerMapping.labels(a));
        if (relabelled) {
            out.collect(mapping.alert(before, Math.max(a.updatedAt(), before.startedAt())));
        }
        if (a.state() == Alert.AlertState.RESOLVED) {
            out.collect(mapping.alert(a, a.resolvedAt() != null ? a.resolvedAt() : a.updatedAt()));
            open.clear();
            sent.clear();
            Long timer = sendAt.value();
            if (timer != null) {
                ctx.timerService().deleteProcessingTimeTimer(timer);
                sendAt.clear();
            }
            return;
        }
        open.update(in.json());
        long now = ctx.timerService().currentProcessingTime();
        if (before != null) { // paging already: the change goes out now
            out.collect(mapping.alert(a, now + endsAfterMs));
            sent.update(in.json());
        } else if (sendAt.value() == null) {
            schedule(ctx.timerService(), now + firstSendDelayMs);
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<AlertmanagerAlert> out) throws Exception {
        String current = open.value();
        if (current == null) {
            sendAt.clear();
            return;
        }
        out.collect(mapping.alert(Json.MAPPER.readValue(current, Alert.class), time + endsAfterMs));
        sent.update(current);
        schedule(ctx.timerService(), time + resendIntervalMs);
    }

    private void schedule(org.apache.flink.streaming.api.TimerService timers, long at) throws Exception {
        timers.registerProcessingTimeTimer(at);
        sendAt.update(at);
    }
}
