package io.twinstream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a run's results. */
final class Charts {

    static void throughputVersusFleetSize(Results r, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("twinstream pipeline throughput vs fleet size").xAxisTitle("distinct assets (log)")
                .yAxisTitle("events/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        for (String backend : List.of("hashmap", "rocksdb")) {
            List<Results.Scale> rows = r.scale().stream()
                    .filter(s -> s.stateBackend().equals(backend) && s.eventsPerSecond() > 0).toList();
            if (!rows.isEmpty()) {
                chart.addSeries(backend, rows.stream().map(s -> (double) s.assets()).toList(),
                        rows.stream().map(Results.Scale::eventsPerSecond).toList()).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        if (r.throughput() != null) {
            chart.addSeries("pass-through ceiling (" + r.throughput().assets() + " assets)",
                    List.of((double) r.throughput().assets()),
                    List.of(r.throughput().passThroughEventsPerSecond())).setMarker(SeriesMarkers.DIAMOND);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void latencyPercentiles(Results r, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
                .title("event -> read_committed consumer latency").xAxisTitle("output, delivery guarantee")
                .yAxisTitle("milliseconds").build();
        List<String> categories = r.latency().stream()
                .flatMap(l -> List.of("alert, " + shortName(l), "snapshot, " + shortName(l)).stream())
                .toList();
        for (String p : List.of("p50", "p99", "p99.9")) {
            List<Double> values = r.latency().stream().flatMap(l -> List.of(pick(l.alert(), p), pick(l.snapshot(), p)).stream())
                    .map(v -> Double.isNaN(v) ? 0.0 : v).toList();
            chart.addSeries(p, categories, values);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String shortName(Results.Latency l) {
        return l.deliveryGuarantee().equals("exactly-once") ? "EO (cp " + l.checkpointInterval() + ")" : "ALO";
    }

    private static double pick(Percentiles p, String which) {
        return switch (which) {
            case "p50" -> p.p50();
            case "p99" -> p.p99();
            default -> p.p999();
        };
    }

    private Charts() {}
}
