package io.twinstream.analytics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

/**
 * The final rows of a bounded streaming query: its changelog (+I, -U, +U, -D) applied to an empty table,
 * which is what the query answers once every source has reached its end.
 */
public record QueryResult(List<String> columns, List<Row> rows) {

    public static QueryResult collect(TableResult result) throws Exception {
        List<String> columns = result.getResolvedSchema().getColumnNames();
        Map<Row, Integer> counts = new LinkedHashMap<>();
        try (CloseableIterator<Row> changes = result.collect()) {
            while (changes.hasNext()) {
                Row change = changes.next();
                RowKind kind = change.getKind();
                change.setKind(RowKind.INSERT);
                switch (kind) {
                    case INSERT, UPDATE_AFTER -> counts.merge(change, 1, Integer::sum);
                    case UPDATE_BEFORE, DELETE -> counts.computeIfPresent(change, (r, n) -> n == 1 ? null : n - 1);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((row, n) -> {
            for (int i = 0; i < n; i++) {
                rows.add(row);
            }
        });
        return new QueryResult(columns, rows);
    }

    /** The value of {@code column} in every row. */
    public List<Object> column(String column) {
        int i = index(column);
        return rows.stream().map(r -> r.getField(i)).toList();
    }

    int index(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return i;
    }

    /**
     * Rows sorted by a spec like {@code "anomaly_score desc, assetId"}: a streaming query cannot sort an updating
     * result (except as a Top-N), so display order is applied here. Without a spec, by every column in turn.
     */
    public QueryResult sorted(String spec) {
        Comparator<Row> order = null;
        List<String> keys = spec == null || spec.isBlank() ? columns : List.of(spec.split(","));
        for (String key : keys) {
            String[] parts = key.trim().split("\\s+");
            int i = index(parts[0]);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Comparator<Row> c = Comparator.comparing((Row r) -> (Comparable) r.getField(i),
                    Comparator.nullsLast(Comparator.<Comparable>naturalOrder()));
            if (parts.length > 1 && parts[1].equalsIgnoreCase("desc")) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        List<Row> sorted = new ArrayList<>(rows);
        if (order != null) {
            sorted.sort(order);
        }
        return new QueryResult(columns, sorted);
    }

    /** Prints a boxed table like Flink's SQL client, and the row count. */
    public void print(PrintStream out) {
        int[] width = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).length();
        }
        for (Row row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < line.length; c++) {
                line[c] = Objects.toString(row.getField(c), "<NULL>");
                width[c] = Math.max(width[c], line[c].length());
            }
            cells.add(line);
        }
        StringBuilder border = new StringBuilder("+");
        for (int w : width) {
            border.append("-".repeat(w + 2)).append('+');
        }
        out.println(border);
        out.println(line(columns.toArray(String[]::new), width));
        out.println(border);
        for (String[] line : cells) {
            out.println(line(line, width));
        }
        out.println(border);
        out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    }

    private static String line(String[] values, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int c = 0; c < values.length; c++) {
            b.append(' ').append(values[c]).append(" ".repeat(width[c] - values[c].length())).append(" |");
        }
        return b.toString();
    }
}
