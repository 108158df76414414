package io.twinstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate-csv --plot DIR} draws one PNG per file: values, incidents shaded, labels marked, score beneath. */
class SeriesPlotsTest {

    @Test
    void evaluateCsvWritesOnePicturePerFileWithTheIncidentShaded(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in/site-a"));
        List<String> lines = new ArrayList<>(List.of("timestamp;value;label"));
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 2_000; i++) {
            boolean away = i >= 1_500 && i < 1_620; // ten minutes away from normal, at 5 s a reading
            lines.add(String.format(Locale.ROOT, "%s;%.4f;%d", java.time.Instant.ofEpochMilli(1_763_884_800_000L + i * 5_000L),
                    3 + 0.2 * r.nextGaussian() + (away ? 2 : 0), away ? 1 : 0));
        }
        Files.write(in.resolve("pump.csv"), lines);

        Path plots = tmp.resolve("plots");
        SeriesPlots.main(new String[] {"evaluate-csv", "--input", tmp.resolve("in").toString(), "--label-column", "label",
            "--plot", plots.toString()});

        Path png = plots.resolve("site-a/pump.png");
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(SeriesPlots.WIDTH);
        assertThat(image.getHeight()).isEqualTo(SeriesPlots.VALUES_HEIGHT + SeriesPlots.SCORE_HEIGHT);
        // the incident's shading is in the values chart, about where the excursion is (three quarters across)
        int shaded = 0;
        int shadedX = 0;
        int incident = SeriesPlots.INCIDENT.getRGB() & 0xFFFFFF;
        for (int y = 0; y < SeriesPlots.VALUES_HEIGHT; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == incident) {
                    shaded++;
                    shadedX += x;
                }
            }
        }
        assertThat(shaded).as("shaded pixels of the open incident").isGreaterThan(500);
        assertThat((double) shadedX / shaded / image.getWidth()).isBetween(0.65, 0.9);
    }
}
