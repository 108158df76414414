package io.twinstream.launcher;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.schemas.AssetEntries;
import io.twinstream.schemas.AssetEntry;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.DtdlImport;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.ModelDefinitions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/twinstream models publish|validate|import-dtdl} and {@code bin/twinstream assets publish}: a user's models
 * and registry, checked against their schemas before anything is written (a bad file: one line naming the file, the
 * entry and the field, exit code 2), then written to the compacted topics a running job reads (models key = type,
 * registry key = assetId). Kafka settings as for every command ({@code --kafka.bootstrap-servers},
 * {@code --kafka.properties-file}, {@code --topics.models}, {@code --topics.assets}).
 */
public final class DefinitionsCommand {
    static final String USAGE = """
            usage: twinstream models publish FILE|DIR [--kafka.bootstrap-servers H:P] [--topics.models NAME]
                   twinstream models validate FILE|DIR
                   twinstream models import-dtdl FILE [--sampling-interval 10s] [--out FILE]
                   twinstream assets publish FILE.csv|FILE.json [--kafka.bootstrap-servers H:P] [--topics.assets NAME]""";

    private DefinitionsCommand() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length < 2 || argv[0].equals("--help") || List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            if (argv.length < 2 && !List.of(argv).contains("--help")) {
                System.exit(2);
            }
            return;
        }
        String what = argv[0] + " " + argv[1];
        try {
            if (argv.length < 3) {
                throw new IllegalArgumentException(what + " needs a FILE");
            }
            Path file = Path.of(argv[2]);
            Map<String, String> options = options(argv);
            switch (what) {
                case "models publish" -> {
                    List<AssetModel> models = ModelDefinitions.read(file);
                    PipelineConfig config = PipelineConfig.of(options);
                    Map<String, String> records = new LinkedHashMap<>();
                    for (AssetModel m : models) {
                        records.put(m.type(), Json.MAPPER.writeValueAsString(m));
                    }
                    publish(config, config.get(Key.TOPIC_MODELS), records);
                    models.forEach(m -> System.out.println("published " + m.type() + " version " + m.version()
                            + " (" + m.sensors().size() + " sensors) to " + config.get(Key.TOPIC_MODELS)));
                }
                case "models validate" -> ModelDefinitions.read(file).forEach(m -> System.out.println(
                        "ok: " + m.type() + " version " + m.version() + ", " + m.sensors().size() + " sensors"));
                case "models import-dtdl" -> importDtdl(file, options);
                case "assets publish" -> {
                    List<AssetEntry> entries = AssetEntries.readFile(file);
                    PipelineConfig config = PipelineConfig.of(options);
                    Map<String, String> records = new LinkedHashMap<>();
                    for (AssetEntry e : entries) {
                        records.put(e.assetId(), Json.MAPPER.writeValueAsString(e));
                    }
                    publish(config, config.get(Key.TOPIC_ASSETS), records);
                    System.out.println("published " + entries.size() + " registry entries to "
                            + config.get(Key.TOPIC_ASSETS));
                }
                default -> throw new IllegalArgumentException("unknown command '" + what + "'");
            }
        } catch (IllegalArgumentException e) { // DefinitionException included
            System.err.println("twinstream " + argv[0] + ": " + e.getMessage());
            System.err.println(USAGE.lines().findFirst().orElse(""));
            System.exit(2);
        }
    }

    /** {@code --key value} pairs after the file. */
    static Map<String, String> options(String[] argv) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 3; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --key value pairs after the file, got '" + argv[i] + "'");
            }
            options.put(argv[i].substring(2), argv[++i]);
        }
        return options;
    }

    private static void importDtdl(Path file, Map<String, String> options) throws Exception {
        long interval = io.twinstream.generator.SensorGeneratorCli.parseDuration(
                options.getOrDefault("sampling-interval", "10s")).toMillis();
        DtdlImport.Result r = DtdlImport.convert(file, interval);
        String out = options.get("out");
        if (out == null) {
            System.out.print(r.yaml());
        } else {
            Files.writeString(Path.of(out), r.yaml(), StandardCharsets.UTF_8);
            System.err.println("wrote " + r.type() + " version " + r.version() + " to " + out);
        }
        r.dropped().forEach(d -> System.err.println("dropped: " + d));
        r.toComplete().forEach(c -> System.err.println("to complete: " + c));
    }

    /** Writes the records (a null value: a tombstone), idempotently, and waits until the broker has every one. */
    static void publish(PipelineConfig config, String topic, Map<String, String> records) throws Exception {
        Map<String, Object> props = new LinkedHashMap<>();
        config.kafkaProperties().forEach((k, v) -> props.put(k.toString(), v));
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            records.forEach((key, value) -> sent.add(producer.send(new ProducerRecord<>(topic,
                    key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8)))));
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
