package io.twinstream.jobs.backtest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The backtest's CSV cells: timestamps and values ({@link CsvTable} reads the files). */
public final class CsvSeries {
    /** The asset type of a series: unknown to the model registry, so it is scored without a physical range. */
    public static final String ASSET_TYPE = "SERIES";

    private static final DateTimeFormatter SPACE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CsvSeries() {}

    /**
     * Epoch milliseconds of an ISO-8601 timestamp (with or without offset; without means UTC) or of
     * {@code yyyy-MM-dd HH:mm:ss} (UTC).
     */
    public static long parseTimestamp(String text) {
        String t = text.trim();
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        return LocalDateTime.parse(t, SPACE).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** The value of a row, or NaN if the row has none that parses (it is then scored 0 and kept). */
    public static double parseValue(String text) {
        try {
            double v = Double.parseDouble(text.trim());
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
