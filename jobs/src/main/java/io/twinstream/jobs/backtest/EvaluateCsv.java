package io.twinstream.jobs.backtest;

import io.twinstream.jobs.alert.AlertLogic;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.anomaly.Scoring;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AssetModels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Scores a labelled CSV tree with the pipeline's scoring and alert lifecycle and prints, per file and overall, the
 * per-row precision, recall and F1 of incidents against the label column, the false- and missed-alarm rates, and
 * the windowed score of {@code anomaly_score} ({@link WindowedScore}). Every file is learned online from its first
 * row with the same settings; the label column is never scored.
 *
 * <pre>twinstream evaluate-csv --input DIR --label-column NAME [--exclude-columns A,B] [--anomaly.* value ...]</pre>
 */
public final class EvaluateCsv {

    /** One file's outcome. */
    public record FileResult(String file, int rows, RowMetrics metrics, int incidents, WindowedScore.Series series) {}

    /** Everything a run measured. */
    public record Report(List<FileResult> files, RowMetrics overall, WindowedScore.Best windowed) {}

    private EvaluateCsv() {}

    public static Report run(Path input, String labelColumn, Set<String> excluded, PipelineConfig config)
            throws Exception {
        return run(input, labelColumn, excluded, config, (f, t, r) -> {});
    }

    public static Report run(Path input, String labelColumn, Set<String> excluded, PipelineConfig config,
            Backtest.SeriesListener listener) throws Exception {
        List<Path> files = csvFiles(input);
        AssetModels models = config.models();
        Scoring scoring = new Scoring(models, ScoringSettings.from(config));
        AlertLogic alerting = new AlertLogic(models, AlertSettings.from(config));
        List<FileResult> results = new ArrayList<>();
        RowMetrics overall = new RowMetrics(0, 0, 0, 0);
        List<WindowedScore.Series> series = new ArrayList<>();
        for (Path f : files) {
            CsvTable table = CsvTable.read(f, labelColumn, excluded);
            String id = input.relativize(f).toString();
            SeriesRun.Result r = SeriesRun.run(id, table, scoring, alerting, assetType(config, models, id, table));
            listener.scored(id, table, r);
            RowMetrics m = RowMetrics.of(r.incident(), table.labels());
            overall = overall.plus(m);
            WindowedScore.Series s = new WindowedScore.Series(r.scores(), table.labels());
            series.add(s);
            results.add(new FileResult(id, table.rows(), m, r.incidents().size(), s));
        }
        return new Report(results, overall, WindowedScore.best(series));
    }

    static List<Path> csvFiles(Path input) throws java.io.IOException {
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("--input " + input + ": no such file or directory");
        }
        try (Stream<Path> walk = Files.walk(input, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            List<Path> files = walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".csv")).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--input " + input + ": no .csv files there");
            }
            return files;
        }
    }

    /** The configuration, once its models (--models) and --asset-type are known to be good. */
    static PipelineConfig checked(PipelineConfig config) {
        AssetModels models = config.models();
        String type = config.get(PipelineConfig.Key.BACKTEST_ASSET_TYPE).trim();
        if (!type.isEmpty() && models.get(type) == null) {
            throw new IllegalArgumentException("--asset-type " + type + ": no such model (add it with --models FILE)");
        }
        return config;
    }

    /** The type a file's series is scored as; every column must be a sensor of its model. */
    static String assetType(PipelineConfig config, AssetModels models, String file, CsvTable table) {
        String type = config.get(PipelineConfig.Key.BACKTEST_ASSET_TYPE).trim();
        if (type.isEmpty()) {
            return CsvSeries.ASSET_TYPE;
        }
        io.twinstream.schemas.AssetModel model = models.get(type);
        for (String column : table.sensors()) {
            if (model.sensor(column) == null) {
                throw new IllegalArgumentException(file + ": column '" + column + "' is not a sensor of " + type
                        + " (leave it out with --exclude-columns)");
            }
        }
        return model.type();
    }

    public static void print(Report report, PrintStream out) {
        double threshold = report.windowed().threshold();
        out.printf(Locale.ROOT, "%-28s %6s %6s %6s %6s %6s %6s %9s %9s%n", "file", "rows", "F1", "prec", "recall",
                "FAR%", "MAR%", "incidents", "windowed");
        for (FileResult f : report.files()) {
            RowMetrics m = f.metrics();
            out.printf(Locale.ROOT, "%-28s %6d %6.3f %6.3f %6.3f %6.2f %6.2f %9d %9.1f%n", f.file(), f.rows(), m.f1(),
                    m.precision(), m.recall(), m.falseAlarmRate(), m.missedAlarmRate(), f.incidents(),
                    WindowedScore.score(f.series(), threshold).normalised());
        }
        RowMetrics m = report.overall();
        out.printf(Locale.ROOT, "%-28s %6d %6.3f %6.3f %6.3f %6.2f %6.2f%n", "ALL (incidents, per row)",
                m.truePositives() + m.falsePositives() + m.falseNegatives() + m.trueNegatives(), m.f1(),
                m.precision(), m.recall(), m.falseAlarmRate(), m.missedAlarmRate());
        WindowedScore.Total t = report.windowed().total();
        out.printf(Locale.ROOT, "windowed score of anomaly_score: %.1f at threshold %.7f (%d of %d windows detected, "
                + "%d false-positive rows)%n", t.normalised(), threshold, t.detected(), t.windows(), t.falsePositives());
    }

    /** The command line: {@code --input}, {@code --label-column}, {@code --exclude-columns}, settings. */
    public record Options(Path input, String labelColumn, Set<String> excluded, PipelineConfig config) {}

    /** Parses the command line; null after printing the usage for {@code --help}; exits 2 on a wrong argument. */
    public static Options parse(String[] args) {
        return CsvCommandLine.parseOrExit(args, "evaluate-csv", USAGE, c -> {
            if (c.input() == null || c.labelColumn() == null) {
                throw new IllegalArgumentException("--input DIR and --label-column NAME are required");
            }
            if (c.output() != null) {
                throw new IllegalArgumentException("evaluate-csv writes no files: --output is backtest's");
            }
            return new Options(c.input(), c.labelColumn(), c.excluded(), checked(PipelineConfig.of(c.settings())));
        });
    }

    /** Runs the parsed command line and prints its report. */
    public static void run(Options o, Backtest.SeriesListener listener) throws Exception {
        try {
            print(run(o.input(), o.labelColumn(), o.excluded(), o.config(), listener), System.out);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
    }

    static final String USAGE = "usage: twinstream evaluate-csv --input DIR --label-column NAME [--exclude-columns A,B] "
            + "[--models FILE|DIR] [--asset-type TYPE] [--plot DIR] [--anomaly.<setting> value ...] [--alert.<setting> value ...]";

    private static void fail(String message) {
        CsvCommandLine.fail("evaluate-csv", USAGE, message);
    }
}
