package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.io.TopicReader;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AlertAction;
import io.twinstream.schemas.AlertAction.Action;
import io.twinstream.schemas.DesiredState;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.TwinSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@code bin/twinstream alerts ...} and {@code desired ...} against a real broker: what each command writes. */
class OperatorCommandTest {

    @Test
    void alertActionsSilencesAndDesiredStatesReachTheirTopicsAsTheJobReadsThem() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            servers = kafka.bootstrapServers();
            // as a job creates them (Topics.ensure); the broker creates none by itself
            kafka.createTopic("twin.alert-actions", 2, Map.of());
            kafka.createTopic("twin.desired", 2, Map.of("cleanup.policy", "compact"));
            kafka.createTopic("twin.snapshots", 2, Map.of("cleanup.policy", "compact"));
            kafka.createTopic("twin.command-requests", 2, Map.of());
            Properties props = new Properties();
            props.put("bootstrap.servers", servers);

            assertThat(run("alerts", "ack", "pump/7/ANOMALY/1000", "--by", "alice", "--note", "on it")).isZero();
            assertThat(run("alerts", "assign", "pump/7/OFFLINE/5", "--to", "bob")).isZero();
            List<AlertAction> actions = read(props, "twin.alert-actions", AlertAction.class);
            assertThat(actions).hasSize(2);
            assertThat(actions.get(0)).satisfies(a -> {
                assertThat(a.assetId()).isEqualTo("pump/7"); // an asset id with a slash
                assertThat(a.action()).isEqualTo(Action.ACK);
                assertThat(a.by()).isEqualTo("alice");
                assertThat(a.note()).isEqualTo("on it");
            });
            assertThat(actions.get(1).assignee()).isEqualTo("bob");

            // a site's silence: one per asset the snapshots place there
            try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(),
                    new StringSerializer())) {
                for (String[] a : new String[][] {{"pump-1", "site-a"}, {"pump-2", "site-a"}, {"pump-3", "site-b"}}) {
                    p.send(new ProducerRecord<>("twin.snapshots", a[0], Json.MAPPER.writeValueAsString(new TwinSnapshot(
                            1, a[0], "INDUSTRIAL_PUMP", a[1], null, null, 0, 0, 0, 0, 0, Map.of(), 0, null, null, null,
                            null, null, null, null)))).get();
                }
            }
            assertThat(run("alerts", "silence", "--site", "site-a", "--for", "2h", "--note", "maintenance")).isZero();
            List<AlertAction> silences = read(props, "twin.alert-actions", AlertAction.class).stream()
                    .filter(a -> a.action() == Action.SILENCE).toList();
            assertThat(silences).extracting(AlertAction::assetId).containsExactlyInAnyOrder("pump-1", "pump-2");
            assertThat(silences).allSatisfy(a -> {
                assertThat(a.action()).isEqualTo(Action.SILENCE);
                assertThat(a.silenceForMs()).isEqualTo(7_200_000L);
            });

            assertThat(run("desired", "set", "pump-1", "target_flow_m3h=250", "--by", "ops")).isZero();
            assertThat(run("desired", "set", "pump-1", "other=1.5")).isZero();
            List<DesiredState> desired = read(props, "twin.desired", DesiredState.class);
            assertThat(desired.get(1).desired()).as("a change merges into the desired state in force")
                    .isEqualTo(Map.of("target_flow_m3h", 250.0, "other", 1.5));
            assertThat(run("desired", "clear", "pump-1")).isZero();
            List<ConsumerRecord<byte[], byte[]>> all = TopicReader.readAll(props, "twin.desired", true);
            assertThat(all.get(all.size() - 1).value()).as("a tombstone").isNull();

            assertThat(run("command", "send", "pump-1", "restart", "--request-id", "r-7", "--ttl", "5m")).isZero();
            assertThat(read(props, "twin.command-requests", io.twinstream.schemas.CommandRequest.class))
                    .singleElement().satisfies(r -> {
                        assertThat(r.name()).isEqualTo("restart");
                        assertThat(r.requestId()).isEqualTo("r-7");
                        assertThat(r.ttlMs()).isEqualTo(300_000L);
                    });
            assertThat(run("command", "send", "pump-1", "set")).as("set is for desired values").isEqualTo(2);

            // refused before anything is sent
            assertThat(run("alerts", "assign", "pump-1/ANOMALY/1")).isEqualTo(2); // no --to
            assertThat(run("alerts", "ack", "not-an-alert-id")).isEqualTo(2);
            assertThat(run("alerts", "silence", "--site", "nowhere", "--for", "1h")).isEqualTo(2);
            assertThat(run("desired", "set", "pump-1", "flow")).isEqualTo(2);
            assertThat(read(props, "twin.alert-actions", AlertAction.class)).hasSize(4);
        }
    }

    int run(String... args) throws Exception {
        String[] withBroker = java.util.Arrays.copyOf(args, args.length + 2);
        withBroker[args.length] = "--kafka.bootstrap-servers";
        withBroker[args.length + 1] = servers;
        return OperatorCommand.run(withBroker);
    }

    String servers;

    <T> List<T> read(Properties props, String topic, Class<T> type) {
        return TopicReader.readAll(props, topic, true).stream().map(r -> {
            try {
                return Json.MAPPER.readValue(r.value(), type);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
