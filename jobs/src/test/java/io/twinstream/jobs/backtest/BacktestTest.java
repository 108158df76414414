package io.twinstream.jobs.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {
    static final long T0 = 1_763_884_800_000L;
    static final DateTimeFormatter SPACE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A daily-cycle-like signal with noise; a spike at {@code spikeRow}. */
    static List<String> series(int rows, int spikeRow, boolean isoTimestamps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,value");
        for (int i = 0; i < rows; i++) {
            long t = T0 + i * 60_000L;
            double v = 50 + 10 * Math.sin(i / 40.0) + 0.5 * r.nextGaussian() + (i == spikeRow ? 30 : 0);
            String ts = isoTimestamps ? Instant.ofEpochMilli(t).toString() : SPACE.format(Instant.ofEpochMilli(t));
            lines.add(ts + "," + String.format(Locale.ROOT, "%.4f", v));
        }
        return lines;
    }

    static List<String[]> rows(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,incident");
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
    }

    @Test
    void scoresEveryRowOfEveryFileInTheTreeOnline(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("plant/a"));
        Files.createDirectories(in.resolve("b"));
        List<String> spiky = series(400, 300, true, 1);
        Files.write(in.resolve("plant/a/spike.csv"), spiky);
        Files.write(in.resolve("b/space-timestamps.csv"), series(300, -1, false, 2));
        Files.write(in.resolve("plant/a/prefix.csv"), spiky.subList(0, 311)); // the same series, cut after row 309

        Map<String, Integer> scored = Backtest.run(in, tmp.resolve("out"), PipelineConfig.defaults());
        assertThat(scored).containsOnlyKeys("plant/a/spike.csv", "plant/a/prefix.csv", "b/space-timestamps.csv");

        List<String[]> spike = rows(tmp.resolve("out/plant/a/spike.csv"));
        assertThat(spike).hasSize(400);
        for (int i = 0; i < spike.size(); i++) {
            String[] input = spiky.get(i + 1).split(",");
            assertThat(spike.get(i)[0]).isEqualTo(input[0]);
            assertThat(spike.get(i)[1]).isEqualTo(input[1]);
            assertThat(Double.parseDouble(spike.get(i)[2])).isBetween(0.0, 1.0);
        }
        assertThat(Double.parseDouble(spike.get(300)[2])).isGreaterThanOrEqualTo(0.9999);
        // calibrated: besides the spike, about 1% of the rows score 0.99 or more
        long loud = spike.stream().filter(r -> Double.parseDouble(r[2]) >= 0.99).count();
        assertThat(loud).as("rows scoring >= 0.99").isBetween(1L, 1 + 400 / 50L);
        // a single spike is news, not a lasting condition: no incident (CalibratedDetectionTest has those)
        assertThat(spike).allSatisfy(r -> assertThat(r[3]).isEqualTo("0"));

        // online: a row's score does not depend on the rows after it
        List<String[]> prefix = rows(tmp.resolve("out/plant/a/prefix.csv"));
        assertThat(prefix).hasSize(310);
        for (int i = 0; i < prefix.size(); i++) {
            assertThat(prefix.get(i)[2]).as("row %d", i).isEqualTo(spike.get(i)[2]);
            assertThat(prefix.get(i)[3]).as("row %d", i).isEqualTo(spike.get(i)[3]);
        }

        List<String[]> other = rows(tmp.resolve("out/b/space-timestamps.csv"));
        assertThat(other).hasSize(300);
        assertThat(other.get(0)[0]).isEqualTo("2025-11-23 08:00:00");
    }
}
