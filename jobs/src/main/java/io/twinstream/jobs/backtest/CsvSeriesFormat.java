package io.twinstream.jobs.backtest;

import io.twinstream.schemas.SchemaVersions;
import io.twinstream.schemas.Telemetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.Path;

/**
 * Reads one CSV file as one series: every row becomes a reading keyed by the file's path relative
 * to the input root, with the row number as its sequence number. Files are not split, so a series
 * is read in order by one reader.
 */
public final class CsvSeriesFormat implements BulkFormat<Telemetry, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 1_000;

    private final String root;

    public CsvSeriesFormat(Path root) {
        this.root = root.toUri().getPath();
    }

    /** The series id of a file: its path relative to the input root. */
    public static String seriesId(String root, String filePath) {
        String r = root.endsWith("/") ? root : root + "/";
        return filePath.startsWith(r) ? filePath.substring(r.length()) : filePath;
    }

    @Override
    public Reader<Telemetry> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new SeriesReader(split, 0);
    }

    @Override
    public Reader<Telemetry> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new SeriesReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Telemetry> getProducedType() {
        return TypeInformation.of(Telemetry.class);
    }

    private final class SeriesReader implements Reader<Telemetry> {
        private final BufferedReader in;
        private final String series;
        private long row;

        SeriesReader(FileSourceSplit split, long skip) throws IOException {
            Path path = split.path();
            this.series = seriesId(root, path.toUri().getPath());
            this.in = new BufferedReader(new InputStreamReader(path.getFileSystem().open(path), StandardCharsets.UTF_8));
            String header = in.readLine();
            if (header == null || !CsvSeries.isHeader(header)) {
                in.close();
                throw new IOException(path + ": expected header '" + CsvSeries.HEADER + "', found '" + header + "'");
            }
            for (long i = 0; i < skip && in.readLine() != null; i++) {
                row++;
            }
        }

        @Override
        public RecordIterator<Telemetry> readBatch() throws IOException {
            List<Telemetry> batch = new ArrayList<>(BATCH);
            long first = row;
            String line;
            while (batch.size() < BATCH && (line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                long ts = CsvSeries.parseTimestamp(comma < 0 ? line : line.substring(0, comma));
                double value = comma < 0 ? Double.NaN : CsvSeries.parseValue(line.substring(comma + 1));
                batch.add(new Telemetry(SchemaVersions.TELEMETRY, series + ":" + row, series, CsvSeries.ASSET_TYPE,
                        "backtest", ts, row, Double.isNaN(value) ? Map.of() : Map.of(CsvSeries.SENSOR, value)));
                row++;
            }
            return batch.isEmpty() ? null
                    : new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, first);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
