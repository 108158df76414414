package io.twinstream.jobs.backtest;

import io.twinstream.jobs.alert.AlertLogic;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.anomaly.Scoring;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AssetModels;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline's anomaly scoring and alert lifecycle over a directory tree of CSV files, each file one asset (a
 * timestamp column and one or more value columns: {@link CsvTable}). Writes the same tree, every input line followed
 * by {@code anomaly_score} (the reading's calibrated surprise, in [0, 1]) and {@code incident} (1 while an anomaly
 * incident is open on the row, else 0). The score of row t uses rows up to t only, and every file is scored with the
 * same settings (nothing is tuned per file).
 *
 * <p>Each file runs through {@link SeriesRun}: the {@link Scoring} and {@link AlertLogic} that the pipeline's keyed
 * operator calls, without a Flink job around them (files are independent, so they are scored in parallel threads).
 *
 * <pre>twinstream backtest --input DIR --output DIR [--label-column NAME] [--exclude-columns A,B] [--anomaly.* value ...]</pre>
 */
public final class Backtest {

    private Backtest() {}

    /** Told of each file once it is scored, from the thread that scored it: the plots, for one. */
    public interface SeriesListener {
        void scored(String file, CsvTable table, SeriesRun.Result result) throws IOException;
    }

    /** Per file (its path under the input), how many rows were scored. */
    public static Map<String, Integer> run(Path input, Path output, String labelColumn, Set<String> excluded,
            PipelineConfig config) throws IOException {
        return run(input, output, labelColumn, excluded, config, (f, t, r) -> {});
    }

    public static Map<String, Integer> run(Path input, Path output, String labelColumn, Set<String> excluded,
            PipelineConfig config, SeriesListener listener) throws IOException {
        List<Path> files = EvaluateCsv.csvFiles(input);
        ScoringSettings scoringSettings = ScoringSettings.from(config);
        AlertSettings alertSettings = AlertSettings.from(config);
        io.twinstream.schemas.AssetModels models = config.models();
        Map<String, Integer> rows = new ConcurrentHashMap<>();
        try {
            files.parallelStream().forEach(f -> {
                try {
                    // a scorer reuses work arrays, as one operator instance does in one thread: one per file here
                    Scoring scoring = new Scoring(models, scoringSettings);
                    AlertLogic alerting = new AlertLogic(models, alertSettings);
                    String id = input.relativize(f).toString();
                    CsvTable table = CsvTable.read(f, labelColumn, excluded);
                    SeriesRun.Result result = SeriesRun.run(id, table, scoring, alerting, EvaluateCsv.assetType(config, models, id, table));
                    write(table, result, output.resolve(id));
                    listener.scored(id, table, result);
                    rows.put(id, table.rows());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        files.forEach(f -> ordered.put(input.relativize(f).toString(), rows.get(input.relativize(f).toString())));
        return ordered;
    }

    public static Map<String, Integer> run(Path input, Path output, PipelineConfig config) throws IOException {
        return run(input, output, null, Set.of(), config);
    }

    /** Copies every input line and appends its score and incident flag. */
    static void write(CsvTable table, SeriesRun.Result result, Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        String sep = table.separator();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(table.header() + sep + "anomaly_score" + sep + "incident");
            w.newLine();
            for (int r = 0; r < table.rows(); r++) {
                w.write(table.lines().get(r));
                w.write(String.format(Locale.ROOT, "%s%.6f%s%d", sep, result.scores()[r], sep,
                        result.incident()[r] ? 1 : 0));
                w.newLine();
            }
        }
    }

    /** The command line: {@code --input}, {@code --output}, {@code --label-column}, {@code --exclude-columns}, settings. */
    public record Options(Path input, Path output, String labelColumn, Set<String> excluded, PipelineConfig config) {}

    /** Parses the command line; null after printing the usage for {@code --help}; exits 2 on a wrong argument. */
    public static Options parse(String[] args) {
        return CsvCommandLine.parseOrExit(args, "backtest", USAGE, c -> {
            if (c.input() == null || c.output() == null) {
                throw new IllegalArgumentException("--input DIR and --output DIR are required");
            }
            return new Options(c.input(), c.output(), c.labelColumn(), c.excluded(), EvaluateCsv.checked(PipelineConfig.of(c.settings())));
        });
    }

    /** Runs the parsed command line, printing one line per file. */
    public static void run(Options o, SeriesListener listener) throws IOException {
        try {
            Map<String, Integer> rows = run(o.input(), o.output(), o.labelColumn(), o.excluded(), o.config(), listener);
            rows.forEach((series, n) -> System.out.println(series + ": " + n + " rows scored"));
            System.out.println("wrote " + rows.size() + " files under " + o.output());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
    }

    static final String USAGE = "usage: twinstream backtest --input DIR --output DIR [--label-column NAME] "
            + "[--exclude-columns A,B] [--models FILE|DIR] [--asset-type TYPE] [--plot DIR] [--anomaly.<setting> value ...] [--alert.<setting> value ...]";

    private static void fail(String message) {
        CsvCommandLine.fail("backtest", USAGE, message);
    }
}
