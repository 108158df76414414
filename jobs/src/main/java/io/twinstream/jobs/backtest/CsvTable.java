package io.twinstream.jobs.backtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CSV file as one series: a timestamp column and one or more numeric columns, each a sensor of one asset.
 * The separator is {@code ;} if the header has one, else {@code ,}. The timestamp column is the one named
 * {@code timestamp}, {@code datetime}, {@code time} or {@code date} (any case), else the first. A label column,
 * if named, is read separately and never scored (a file without it has only normal rows); excluded columns are
 * ignored.
 *
 * @param header   the header line as in the file
 * @param sensors  the scored columns' names
 * @param lines    the data lines as in the file (blank ones dropped)
 * @param times    per row, epoch ms
 * @param values   per row, one value per sensor (NaN where empty or not a number)
 * @param labels   per row, the label column's value (1 = anomalous), or null without a label column
 */
public record CsvTable(String header, String separator, List<String> sensors, List<String> lines, long[] times,
        double[][] values, int[] labels) {

    private static final Set<String> TIME_COLUMNS = Set.of("timestamp", "datetime", "time", "date");

    public static CsvTable read(Path file, String labelColumn, Set<String> excluded) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (all.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty file, expected a header line");
        }
        String header = all.get(0).replace("\uFEFF", "");
        String sep = header.contains(";") ? ";" : ",";
        String[] names = header.split(sep, -1);
        int timeColumn = 0;
        for (int i = 0; i < names.length; i++) {
            if (TIME_COLUMNS.contains(names[i].trim().toLowerCase(Locale.ROOT))) {
                timeColumn = i;
                break;
            }
        }
        int labelIndex = -1;
        List<Integer> columns = new ArrayList<>();
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim();
            if (i == timeColumn || excluded.contains(name)) {
                continue;
            }
            if (name.equals(labelColumn)) {
                labelIndex = i;
                continue;
            }
            columns.add(i);
            sensors.add(name.isEmpty() ? "column" + i : name);
        }
        boolean labelled = labelColumn != null; // a file without the label column is all normal rows
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(file + ": no value column besides the timestamp in header '" + header + "'");
        }
        List<String> lines = new ArrayList<>();
        for (String line : all.subList(1, all.size())) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        long[] times = new long[lines.size()];
        double[][] values = new double[lines.size()][columns.size()];
        int[] labels = labelled ? new int[lines.size()] : null;
        for (int r = 0; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(sep, -1);
            try {
                times[r] = CsvSeries.parseTimestamp(cells[timeColumn]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": row " + (r + 2) + ": '" + cells[timeColumn]
                        + "' is not a timestamp (ISO-8601 or yyyy-MM-dd HH:mm:ss)");
            }
            for (int c = 0; c < columns.size(); c++) {
                int i = columns.get(c);
                values[r][c] = i < cells.length ? CsvSeries.parseValue(cells[i]) : Double.NaN;
            }
            if (labels != null && labelIndex >= 0) {
                double label = labelIndex < cells.length ? CsvSeries.parseValue(cells[labelIndex]) : 0;
                labels[r] = label > 0 ? 1 : 0;
            }
        }
        return new CsvTable(header, sep, List.copyOf(sensors), lines, times, values, labels);
    }

    public int rows() {
        return times.length;
    }
}
