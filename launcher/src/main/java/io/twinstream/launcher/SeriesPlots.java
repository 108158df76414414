package io.twinstream.launcher;

import io.twinstream.jobs.backtest.Backtest;
import io.twinstream.jobs.backtest.CsvTable;
import io.twinstream.jobs.backtest.EvaluateCsv;
import io.twinstream.jobs.backtest.SeriesRun;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG per scored series: its values (each sensor) with incidents shaded and labelled rows marked, and its
 * {@code anomaly_score} beneath on the same time axis, as a rarity in decades (2 = one reading in a hundred), so a data engineer sees at a glance where and why it fired.
 * Also the entry point of {@code backtest} and {@code evaluate-csv}, which take {@code --plot DIR}.
 */
public final class SeriesPlots implements Backtest.SeriesListener {
    static final int WIDTH = 1400;
    static final int VALUES_HEIGHT = 420;
    static final int SCORE_HEIGHT = 240;
    /** The score panel's top: a score of 1 - 1e-7 and above (the backtest writes six decimals). */
    static final double MAX_RARITY = 7;
    /** The shading of an open incident. */
    static final Color INCIDENT = new Color(255, 190, 190);

    private final Path dir;

    public SeriesPlots(Path dir) {
        this.dir = dir;
    }

    @Override
    public void scored(String file, CsvTable table, SeriesRun.Result result) throws IOException {
        Path png = dir.resolve(file.replaceAll("\\.csv$", "") + ".png");
        Files.createDirectories(png.toAbsolutePath().getParent());
        write(file, table, result, png);
    }

    static void write(String title, CsvTable table, SeriesRun.Result result, Path png) throws IOException {
        int n = table.rows();
        List<Date> times = new ArrayList<>(n);
        for (long t : table.times()) {
            times.add(new Date(t));
        }
        XYChart values = new XYChartBuilder().width(WIDTH).height(VALUES_HEIGHT).title(title).yAxisTitle("value").build();
        values.getStyler().setDatePattern("MM-dd HH:mm");
        values.getStyler().setMarkerSize(3);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < table.sensors().size(); c++) {
            List<Double> ys = new ArrayList<>(n);
            for (int r = 0; r < n; r++) {
                double v = table.values()[r][c];
                ys.add(v);
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            values.addSeries(table.sensors().get(c), times, ys).setMarker(SeriesMarkers.NONE);
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        double[] band = new double[n];
        Arrays.fill(band, Double.NaN);
        boolean anyIncident = false;
        for (int r = 0; r < n; r++) {
            if (result.incident()[r]) {
                band[r] = hi;
                anyIncident = true;
            }
        }
        if (anyIncident) {
            XYSeries s = values.addSeries("incident open", times, toList(band));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            s.setFillColor(INCIDENT);
            s.setLineColor(INCIDENT);
            s.setMarker(SeriesMarkers.NONE);
        }
        if (table.labels() != null) {
            double[] marks = new double[n];
            Arrays.fill(marks, Double.NaN);
            for (int r = 0; r < n; r++) {
                if (table.labels()[r] == 1) {
                    marks[r] = lo;
                }
            }
            XYSeries s = values.addSeries("labelled anomalous", times, toList(marks));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.SQUARE);
            s.setMarkerColor(new Color(120, 0, 160));
        }
        // a calibrated score spreads normal rows evenly over 0..1; its rarity in decades shows where it fired
        XYChart score = new XYChartBuilder().width(WIDTH).height(SCORE_HEIGHT)
                .yAxisTitle("-log10(1 - anomaly_score)").build();
        score.getStyler().setDatePattern("MM-dd HH:mm");
        score.getStyler().setYAxisMin(0.0);
        score.getStyler().setYAxisMax(MAX_RARITY);
        double[] rarity = new double[n];
        for (int r = 0; r < n; r++) {
            rarity[r] = Math.min(MAX_RARITY, -Math.log10(Math.max(1e-300, 1 - result.scores()[r])));
        }
        score.addSeries("rarity of the reading", times, toList(rarity)).setMarker(SeriesMarkers.NONE);

        BufferedImage top = BitmapEncoder.getBufferedImage(values);
        BufferedImage bottom = BitmapEncoder.getBufferedImage(score);
        BufferedImage both = new BufferedImage(WIDTH, top.getHeight() + bottom.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(top, 0, 0, null);
        g.drawImage(bottom, 0, top.getHeight(), null);
        g.dispose();
        ImageIO.write(both, "png", png.toFile());
    }

    private static List<Double> toList(double[] a) {
        List<Double> out = new ArrayList<>(a.length);
        for (double v : a) {
            out.add(v);
        }
        return out;
    }

    /** {@code --plot DIR} taken out of the arguments: [the directory or null, the other arguments]. */
    static Object[] takePlot(String[] args) {
        List<String> rest = new ArrayList<>();
        Path plot = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plot") && i + 1 < args.length) {
                plot = Path.of(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        return new Object[] {plot, rest.toArray(String[]::new)};
    }

    /** {@code twinstream backtest|evaluate-csv [--plot DIR] ...}: the first argument names the command. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        Object[] split = takePlot(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
        Path plot = (Path) split[0];
        String[] rest = (String[]) split[1];
        Backtest.SeriesListener listener = plot == null ? (f, t, r) -> {} : new SeriesPlots(plot);
        switch (command) {
            case "backtest" -> {
                Backtest.Options o = Backtest.parse(rest);
                if (o != null) {
                    Backtest.run(o, listener);
                }
            }
            case "evaluate-csv" -> {
                EvaluateCsv.Options o = EvaluateCsv.parse(rest);
                if (o != null) {
                    EvaluateCsv.run(o, listener);
                }
            }
            default -> {
                System.err.println("usage: SeriesPlots backtest|evaluate-csv [--plot DIR] ...");
                System.exit(2);
            }
        }
        if (plot != null) {
            System.out.println("plots under " + plot);
        }
    }
}
