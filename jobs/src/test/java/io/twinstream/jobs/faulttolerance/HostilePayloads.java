package io.twinstream.jobs.faulttolerance;

import io.twinstream.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Payloads that are each, by construction, not a valid telemetry record. */
final class HostilePayloads {
    private HostilePayloads() {}

    static String valid(SplittableRandom r, int i) {
        return "{\"schemaVersion\":1,\"eventId\":\"h:" + i + "\",\"assetId\":\"pump-h" + (i % 50)
                + "\",\"assetType\":\"INDUSTRIAL_PUMP\",\"siteId\":\"s\",\"timestamp\":" + (1_763_884_800_000L + i)
                + ",\"seq\":" + i + ",\"readings\":{\"flow_m3h\":" + (200 + r.nextDouble()) + ",\"vibration_mm_s\":2.5}}";
    }

    static List<byte[]> generate(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String v = valid(r, i);
            byte[] payload = switch (i % 10) {
                case 0, 1 -> { // random bytes
                    byte[] b = new byte[1 + r.nextInt(200)];
                    r.nextBytes(b);
                    b[0] = (byte) 0xFE; // never the start of a JSON value
                    yield b;
                }
                case 2, 3 -> v.substring(0, 1 + r.nextInt(v.length() - 1)).getBytes(StandardCharsets.UTF_8); // truncated
                case 4, 5 -> { // a raw control character somewhere: invalid inside and outside strings
                    int at = 1 + r.nextInt(v.length() - 1);
                    yield (v.substring(0, at) + '\u0001' + v.substring(at)).getBytes(StandardCharsets.UTF_8);
                }
                case 6 -> (switch (r.nextInt(4)) { // huge numbers
                    case 0 -> v.replace("\"vibration_mm_s\":2.5", "\"vibration_mm_s\":1e999");
                    case 1 -> v.replaceFirst("\"seq\":\\d+", "\"seq\":123456789012345678901234567890");
                    case 2 -> v.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":1e400");
                    default -> v.replace("\"vibration_mm_s\":2.5", "\"vibration_mm_s\":-1e999");
                }).getBytes(StandardCharsets.UTF_8);
                case 7 -> (switch (r.nextInt(5)) { // NaN, wrong types
                    case 0 -> v.replace("\"vibration_mm_s\":2.5", "\"vibration_mm_s\":NaN");
                    case 1 -> v.replaceFirst("\"timestamp\":(\\d+)", "\"timestamp\":\"$1\"");
                    case 2 -> v.replaceFirst("\"readings\":\\{[^}]*\\}", "\"readings\":[1,2]");
                    case 3 -> v.replaceFirst("\"assetId\":\"[^\"]*\"", "\"assetId\":42");
                    default -> v.replaceFirst("\"seq\":\\d+", "\"seq\":1.5");
                }).getBytes(StandardCharsets.UTF_8);
                case 8 -> i % 20 == 8 // oversized, or an unknown schema version
                        ? v.replace("{\"schemaVersion\"", "{\"padding\":\"" + "x".repeat(70_000) + "\",\"schemaVersion\"")
                                .getBytes(StandardCharsets.UTF_8)
                        : v.replace("\"schemaVersion\":1", "\"schemaVersion\":" + (2 + r.nextInt(98)))
                                .getBytes(StandardCharsets.UTF_8);
                default -> (switch (r.nextInt(3)) { // unknown asset types and sensors, empty
                    case 0 -> v.replace("INDUSTRIAL_PUMP", "TOASTER");
                    case 1 -> v.replace("vibration_mm_s", "crumbs");
                    default -> "";
                }).getBytes(StandardCharsets.UTF_8);
            };
            out.add(payload);
        }
        return out;
    }

    /** Writes payloads under the given keys (null: no key), as a device or a gateway would. */
    static void send(EmbeddedKafka kafka, String topic, List<String> keys, List<byte[]> payloads) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < payloads.size(); i++) {
                String key = keys.get(i);
                p.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        payloads.get(i)));
            }
            p.flush();
        }
    }

    static void send(EmbeddedKafka kafka, String topic, List<byte[]> payloads) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < payloads.size(); i++) {
                byte[] key = i % 3 == 0 ? null : ("pump-h" + (i % 50)).getBytes(StandardCharsets.UTF_8);
                p.send(new ProducerRecord<>(topic, key, payloads.get(i)));
            }
            p.flush();
        }
    }
}
