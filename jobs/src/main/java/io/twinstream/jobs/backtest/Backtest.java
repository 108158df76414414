package io.twinstream.jobs.backtest;

import io.twinstream.jobs.TwinPipeline;
import io.twinstream.jobs.anomaly.AnomalyScoringFunction;
import io.twinstream.jobs.anomaly.SampleScore;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Telemetry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The pipeline's anomaly scoring as a bounded Flink job over a directory tree of CSV files
 * ({@code timestamp,value}; each file one independent series). Writes the same tree with a third
 * column {@code anomaly_score} in [0, 1], one row per input row. The score of row t uses rows up
 * to t only, and every series is scored with the same settings (nothing is tuned per file).
 *
 * <pre>twinstream backtest --input DIR --output DIR [--anomaly.* value ...]</pre>
 */
public final class Backtest {

    /** Per series, how many rows were scored. */
    public static Map<String, Integer> run(Path input, Path output, PipelineConfig config) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(input)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .csv files under " + input);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(TwinPipeline.flinkConfiguration(config.with(PipelineConfig.Key.CHECKPOINT_INTERVAL, "0 s")
                .with(PipelineConfig.Key.DELIVERY_GUARANTEE, "at-least-once")));
        org.apache.flink.core.fs.Path root = new org.apache.flink.core.fs.Path(input.toAbsolutePath().toUri());
        FileSource<Telemetry> source = FileSource.forBulkFileFormat(new CsvSeriesFormat(root), root)
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(
                        p -> !p.getName().startsWith(".") && !p.getName().startsWith("_")
                                && (p.getName().endsWith(".csv") || !p.getName().contains("."))))
                .build();
        var scored = env.fromSource(source, WatermarkStrategy.noWatermarks(), "csv-series")
                .keyBy(new TwinPipeline.ByReadingAsset(), Types.STRING)
                .process(new AnomalyScoringFunction(AssetModels.builtIn(), ScoringSettings.from(config), true))
                .name("anomaly-scoring");

        Map<String, Map<Long, Double>> scores = new HashMap<>();
        try (CloseableIterator<SampleScore> it = scored.getSideOutput(AnomalyScoringFunction.SAMPLE_SCORES)
                .executeAndCollect("twinstream-backtest")) {
            while (it.hasNext()) {
                SampleScore s = it.next();
                scores.computeIfAbsent(s.assetId(), k -> new HashMap<>()).put(s.seq(), s.score());
            }
        }
        Map<String, Integer> rows = new LinkedHashMap<>();
        String rootPath = root.toUri().getPath();
        for (Path file : files) {
            String id = CsvSeriesFormat.seriesId(rootPath, file.toAbsolutePath().toUri().getPath());
            Path target = output.resolve(input.relativize(file));
            rows.put(id, write(file, target, scores.getOrDefault(id, Map.of())));
        }
        return rows;
    }

    /** Copies every input row and appends its score. */
    private static int write(Path in, Path out, Map<Long, Double> scores) throws IOException {
        Files.createDirectories(out.getParent());
        List<String> lines = Files.readAllLines(in, StandardCharsets.UTF_8);
        int row = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(CsvSeries.OUTPUT_HEADER);
            w.newLine();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                Double score = scores.get((long) row);
                if (score == null) {
                    throw new IllegalStateException(in + ": row " + row + " was not scored");
                }
                w.write(line.strip());
                w.write(String.format(Locale.ROOT, ",%.6f", score));
                w.newLine();
                row++;
            }
        }
        return row;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        Path input = null;
        Path output = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--input" -> input = Path.of(args[i + 1]);
                case "--output" -> output = Path.of(args[i + 1]);
                default -> settings.put(args[i].substring(2), args[i + 1]);
            }
        }
        if (input == null || output == null) {
            System.err.println("usage: twinstream backtest --input DIR --output DIR [--anomaly.<setting> value ...]");
            System.exit(2);
        }
        Map<String, Integer> rows = run(input, output, PipelineConfig.of(settings));
        rows.forEach((series, n) -> System.out.println(series + ": " + n + " rows scored"));
        System.out.println("wrote " + rows.size() + " files under " + output);
    }

    private Backtest() {}
}
