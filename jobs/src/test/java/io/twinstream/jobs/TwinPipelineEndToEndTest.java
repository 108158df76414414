package io.twinstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.RecordSink;
import io.twinstream.generator.TransportFault;
import io.twinstream.generator.sink.KafkaRecordSink;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.jobs.io.TopicReader;
import io.twinstream.jobs.io.Topics;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.DeadLetter;
import io.twinstream.schemas.DerivedNumber;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.RejectReason;
import io.twinstream.schemas.SensorState;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wired job on a real Flink MiniCluster against the real in-process broker, fed by the real
 * generator with every transport fault on, compared with what the generator knows it sent.
 */
class TwinPipelineEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final long START = 1_763_884_800_000L;
    static final int SILENT_ASSET = 5;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.startTemporary();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** Sends to Kafka and keeps a copy of what was sent, in order. */
    static final class RecordingKafkaSink implements RecordSink {
        final KafkaRecordSink kafka;
        final List<GeneratedRecord> sent = new ArrayList<>();

        RecordingKafkaSink(KafkaRecordSink kafka) {
            this.kafka = kafka;
        }

        @Override
        public void send(GeneratedRecord record) throws Exception {
            sent.add(record);
            kafka.send(record);
        }

        @Override
        public void flush() throws Exception {
            kafka.flush();
        }

        @Override
        public void close() {
            kafka.close();
        }
    }

    @Test
    void snapshotsAndDeadLettersMatchWhatTheGeneratorSent() throws Exception {
        PipelineConfig config = PipelineConfig.defaults()
                .with(Key.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(Key.BOUNDED, "true")
                .with(Key.STARTING_OFFSETS, "earliest")
                .with(Key.PARALLELISM, "2")
                .with(Key.CHECKPOINT_INTERVAL, "0 s")
                    .with(Key.DELIVERY_GUARANTEE, "at-least-once");
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, config, 4, (short) 1);
        }

        GeneratorConfig generatorConfig = GeneratorConfig.defaults().copy()
                .seed(3).assets(24).sites(3).startMs(START).durationMs(15 * 60_000L).ratePerSecond(0)
                .faultsPerAssetHour(0)
                .scheduledFaults(List.of(new GeneratorConfig.ScheduledFault(
                        SILENT_ASSET, FaultKind.DROPOUT, null, 10 * 60_000L, Long.MAX_VALUE)))
                .allTransportFaults(0.004)
                .lateDelayMs(60_000).lateThresholdMs(config.millis(Key.ALLOWED_LATENESS))
                .outOfOrderMaxDelayMs(config.millis(Key.MAX_OUT_OF_ORDERNESS) / 2)
                .build();
        FleetGenerator generator = new FleetGenerator(generatorConfig, AssetModels.builtIn());
        List<GeneratedRecord> sent;
        try (RecordingKafkaSink sink = new RecordingKafkaSink(new KafkaRecordSink(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), config.get(Key.TOPIC_TELEMETRY), null))) {
            generator.run(sink);
            sent = sink.sent;
        }
        for (TransportFault f : TransportFault.values()) {
            assertThat(generator.stats().transportFaults().get(f)).as("generator injected %s", f).isPositive();
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AssetModels models = AssetModels.builtIn();
        TwinPipeline.build(env, config, models, new KafkaPipelineIo(config, models));
        env.execute("e2e");

        assertSnapshots(config, sent, generator.assetId(SILENT_ASSET));
        assertDeadLetters(config, sent);
    }

    private static void assertSnapshots(PipelineConfig config, List<GeneratedRecord> sent, String silentAsset) {
        Map<String, TwinSnapshot> actual = TopicReader.latestByKey(
                TopicReader.readAll(config.kafkaProperties(), config.get(Key.TOPIC_SNAPSHOTS), true),
                bytes -> read(bytes, TwinSnapshot.class));
        Map<String, List<Telemetry>> accepted = sent.stream().filter(GeneratedRecord::acceptedByTwin)
                .map(GeneratedRecord::reading)
                .collect(Collectors.groupingBy(Telemetry::assetId, Collectors.toList()));
        Map<String, Long> duplicates = sent.stream().filter(r -> r.transport() == TransportFault.DUPLICATE)
                .collect(Collectors.groupingBy(GeneratedRecord::key, Collectors.counting()));

        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(accepted.keySet());
        for (Map.Entry<String, List<Telemetry>> e : accepted.entrySet()) {
            String asset = e.getKey();
            List<Telemetry> readings = e.getValue();
            TwinSnapshot twin = actual.get(asset);
            assertThat(twin.eventsAccepted()).as("%s accepted", asset).isEqualTo(readings.size());
            assertThat(twin.duplicatesDropped()).as("%s duplicates", asset)
                    .isEqualTo(duplicates.getOrDefault(asset, 0L));
            Telemetry newest = readings.stream().max(java.util.Comparator.comparingLong(Telemetry::timestamp)).get();
            assertThat(twin.lastSeen()).isEqualTo(newest.timestamp());
            assertThat(twin.lastSeq()).isEqualTo(readings.stream().mapToLong(Telemetry::seq).max().getAsLong());
            newest.readings().forEach((sensor, value) -> {
                SensorState s = twin.sensors().get(sensor);
                assertThat(s.lastValue()).as("%s %s last", asset, sensor).isEqualTo(value);
                assertThat(s.count()).isEqualTo(readings.size());
                double mean = readings.stream().mapToDouble(t -> t.readings().get(sensor)).average().getAsDouble();
                // a derived value: on the wire with DerivedNumber.DIGITS significant digits, so within half a unit of the last
                double halfUnit = 0.5 * Math.pow(10, 1 - DerivedNumber.DIGITS) * Math.abs(mean);
                assertThat(s.mean()).as("%s %s mean", asset, sensor).isCloseTo(mean, within(halfUnit + 1e-9));
            });
            assertThat(twin.status()).as("%s status", asset)
                    .isEqualTo(asset.equals(silentAsset) ? AssetStatus.OFFLINE : AssetStatus.ONLINE);
        }
    }

    private static void assertDeadLetters(PipelineConfig config, List<GeneratedRecord> sent) {
        List<DeadLetter> actual = TopicReader.readAll(config.kafkaProperties(), config.get(Key.TOPIC_DEAD_LETTER), true)
                .stream().map(r -> read(r.value(), DeadLetter.class)).toList();
        Map<String, Long> expected = new HashMap<>();
        for (GeneratedRecord r : sent) {
            if (r.transport() != null && r.transport().rejected()) {
                RejectReason reason = switch (r.transport()) {
                    case MALFORMED_JSON -> RejectReason.MALFORMED_JSON;
                    case SCHEMA_VIOLATION -> RejectReason.SCHEMA_VIOLATION;
                    case UNKNOWN_ASSET_TYPE -> RejectReason.UNKNOWN_ASSET_TYPE;
                    case LATE -> RejectReason.LATE;
                    default -> throw new IllegalStateException();
                };
                expected.merge(deadLetterIdentity(reason, r.value()), 1L, Long::sum);
            }
        }
        Map<String, Long> got = new HashMap<>();
        for (DeadLetter d : actual) {
            assertThat(d.reason()).isNotBlank();
            assertThat(d.sourceTopic()).isEqualTo(config.get(Key.TOPIC_TELEMETRY));
            byte[] original = d.payloadEncoding().equals("base64") ? Base64.getDecoder().decode(d.payload())
                    : d.payload().getBytes(StandardCharsets.UTF_8);
            got.merge(deadLetterIdentity(d.reasonCode(), original), 1L, Long::sum);
        }
        assertThat(expected).isNotEmpty();
        assertThat(got).isEqualTo(expected);
    }

    /**
     * Records rejected at parsing keep their exact bytes. A LATE reading is rejected after the keyed
     * shuffle, where Flink rebuilt its readings map, so its payload is the same reading with the
     * sensors possibly in another order: compared as a parsed reading.
     */
    static String deadLetterIdentity(RejectReason reason, byte[] payload) {
        if (reason == RejectReason.LATE) {
            Telemetry t = read(payload, Telemetry.class);
            return reason + " " + t.eventId() + " " + t.timestamp() + " " + new java.util.TreeMap<>(t.readings());
        }
        return reason + " " + Base64.getEncoder().encodeToString(payload);
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
