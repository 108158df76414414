package io.twinstream.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.RecordSink;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Detector;
import io.twinstream.schemas.FaultKind;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.SensorSpec;
import io.twinstream.schemas.Telemetry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detectors on realistic signals from the generator, one asset at a time, with faults placed exactly. */
class AssetScorerTest {
    static final AssetModels MODELS = AssetModels.builtIn();
    static final ScoringSettings SETTINGS = ScoringSettings.from(PipelineConfig.defaults());
    static final long START = 1_763_884_800_000L;

    record Scored(Telemetry reading, SensorResult[] results, double worst) {}

    record Run(List<Scored> scored, List<FaultLabel> labels, AssetModel model) {
        /** Highest score of any sensor among readings in [from, to). */
        double max(long from, long to) {
            return scored.stream().filter(s -> s.reading().timestamp() >= from && s.reading().timestamp() < to)
                    .mapToDouble(Scored::worst).max().orElse(0);
        }

        Detector detectorAtMax(long from, long to, String sensor) {
            int j = model.sensors().indexOf(model.sensor(sensor));
            return scored.stream().filter(s -> s.reading().timestamp() >= from && s.reading().timestamp() < to)
                    .filter(s -> s.results()[j] != null)
                    .max(java.util.Comparator.comparingDouble(s -> s.results()[j].score()))
                    .map(s -> s.results()[j].detector()).orElse(Detector.NONE);
        }
    }

    /** Asset 0 is a turbine, 1 a battery pack, 2 a pump, 3 a wearable; only {@code asset} is scored. */
    static Run run(int asset, long minutes, long seed, List<GeneratorConfig.ScheduledFault> faults) throws Exception {
        GeneratorConfig config = GeneratorConfig.defaults().copy().seed(seed).assets(4).startMs(START)
                .durationMs(minutes * 60_000).ratePerSecond(0).faultsPerAssetHour(0).scheduledFaults(faults).build();
        List<Telemetry> readings = new ArrayList<>();
        List<FaultLabel> labels = new ArrayList<>();
        FleetGenerator generator = new FleetGenerator(config, MODELS);
        String id = generator.assetId(asset);
        generator.run(new RecordSink() {
            @Override
            public void send(GeneratedRecord r) {
                if (r.key().equals(id)) {
                    readings.add(r.reading());
                }
            }

            @Override
            public void label(FaultLabel l) {
                labels.add(l);
            }
        });
        AssetModel model = MODELS.get(readings.get(0).assetType());
        AssetScorer scorer = new AssetScorer(SETTINGS);
        String[] sensors = model.sensors().stream().map(SensorSpec::name).toArray(String[]::new);
        ScoringState state = scorer.newState(sensors);
        double[] min = model.sensors().stream().mapToDouble(SensorSpec::min).toArray();
        double[] max = model.sensors().stream().mapToDouble(SensorSpec::max).toArray();
        List<Scored> scored = new ArrayList<>();
        for (Telemetry t : readings) {
            double[] values = new double[sensors.length];
            for (int i = 0; i < sensors.length; i++) {
                values[i] = t.readings().get(sensors[i]);
            }
            SensorResult[] results = scorer.score(state, t.timestamp(), values, min, max).sensors();
            double worst = 0;
            for (SensorResult r : results) {
                worst = Math.max(worst, r.score());
            }
            scored.add(new Scored(t, results, worst));
        }
        return new Run(scored, labels, model);
    }

    static GeneratorConfig.ScheduledFault fault(int asset, FaultKind kind, String sensor, long startMin, long seconds) {
        return new GeneratorConfig.ScheduledFault(asset, kind, sensor, startMin * 60_000, seconds * 1000);
    }

    /**
     * The scorer reuses its work arrays across sensors, readings and assets. Scoring four assets of different models
     * (different sensor counts) interleaved, with one scorer, gives exactly what four scorers of their own give.
     */
    /**
     * The prediction from one factorisation of the whole covariance equals, for every sensor, the ridge regression
     * on the other sensors solved on its own (and the other sensors' Mahalanobis distance, likewise), also for
     * sensors of very different magnitudes, a constant sensor, and a pair of perfectly correlated ones.
     */
    @Test
    void eachSensorsPredictionIsItsOwnRegressionOnTheOthers() {
        java.util.Random random = new java.util.Random(7);
        AssetScorer scorer = new AssetScorer(SETTINGS);
        for (int trial = 0; trial < 500; trial++) {
            int n = 2 + random.nextInt(7);
            String[] sensors = new String[n];
            java.util.Arrays.setAll(sensors, i -> "s" + i);
            ScoringState s = scorer.newState(sensors);
            double[] magnitude = new double[n];
            for (int i = 0; i < n; i++) {
                magnitude[i] = Math.pow(10, random.nextInt(9) - 3);
            }
            double[][] b = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    b[i][k] = random.nextGaussian() * magnitude[i];
                }
            }
            if (trial % 5 == 1) {
                b[n - 1] = new double[n]; // a constant sensor
            } else if (trial % 5 == 2) {
                b[1] = b[0].clone(); // two sensors that always move together
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double c = 0;
                    for (int m = 0; m < n; m++) {
                        c += b[i][m] * b[k][m];
                    }
                    s.cov[i * n + k] = c;
                }
            }
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                s.mean[i] = random.nextGaussian() * 100 * magnitude[i];
                x[i] = s.mean[i] + random.nextGaussian() * 3 * magnitude[i];
            }
            double[] expected = new double[n];
            double[] distance = new double[n];
            scorer.predict(s, x, expected, distance);
            for (int j = 0; j < n; j++) {
                double[] direct = regressionOnTheOthers(s, j, x);
                assertThat(expected[j]).as("trial %d sensor %d", trial, j)
                        .isCloseTo(direct[0], org.assertj.core.data.Offset.offset(1e-7 * (Math.abs(direct[0]) + magnitude[j])));
                assertThat(distance[j]).as("trial %d sensor %d distance", trial, j)
                        .isCloseTo(direct[1], org.assertj.core.data.Offset.offset(1e-6 * (1 + direct[1])));
            }
        }
    }

    /** Sensor j's ridge regression on the others and their squared distance, by solving its own normal equations. */
    static double[] regressionOnTheOthers(ScoringState s, int j, double[] x) {
        int n = s.sensors.length;
        int m = n - 1;
        int[] idx = java.util.stream.IntStream.range(0, n).filter(k -> k != j).toArray();
        double[][] a = new double[m][m + 2];
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < m; q++) {
                a[p][q] = s.cov[idx[p] * n + idx[q]];
            }
            a[p][p] += 1e-3 * s.cov[idx[p] * n + idx[p]] + 1e-12;
            a[p][m] = s.cov[idx[p] * n + j];
            a[p][m + 1] = x[idx[p]] - s.mean[idx[p]];
        }
        for (int c = 0; c < m; c++) { // Gauss-Jordan with partial pivoting
            int pivot = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < m; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k < m + 2; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double prediction = s.mean[j];
        double d2 = 0;
        for (int p = 0; p < m; p++) {
            double dev = x[idx[p]] - s.mean[idx[p]];
            prediction += a[p][m] / a[p][p] * dev;
            d2 += a[p][m + 1] / a[p][p] * dev;
        }
        return new double[] {prediction, d2};
    }

    @Test
    void aScorerSharedByAssetsOfDifferentSizesScoresEachAsItsOwnWould() throws Exception {
        GeneratorConfig config = GeneratorConfig.defaults().copy().seed(3).assets(4).startMs(START)
                .durationMs(10 * 60_000).ratePerSecond(0).faultsPerAssetHour(6).build();
        List<Telemetry> readings = new ArrayList<>();
        new FleetGenerator(config, MODELS).run(new RecordSink() {
            @Override
            public void send(GeneratedRecord r) {
                if (r.reading() != null && r.acceptedByTwin()) {
                    readings.add(r.reading());
                }
            }

            @Override
            public void label(FaultLabel l) {}
        });
        java.util.Map<String, ScoringState> shared = new java.util.HashMap<>();
        java.util.Map<String, ScoringState> own = new java.util.HashMap<>();
        java.util.Map<String, AssetScorer> scorers = new java.util.HashMap<>();
        AssetScorer sharedScorer = new AssetScorer(SETTINGS);
        java.util.Set<Integer> sizes = new java.util.HashSet<>();
        int compared = 0;
        for (Telemetry t : readings) {
            AssetModel model = MODELS.get(t.assetType());
            String[] sensors = model.sensors().stream().map(SensorSpec::name).toArray(String[]::new);
            sizes.add(sensors.length);
            double[] min = model.sensors().stream().mapToDouble(SensorSpec::min).toArray();
            double[] max = model.sensors().stream().mapToDouble(SensorSpec::max).toArray();
            double[] values = new double[sensors.length];
            for (int i = 0; i < sensors.length; i++) {
                Double v = t.readings().get(sensors[i]);
                values[i] = v == null ? Double.NaN : v;
            }
            AssetScorer mine = scorers.computeIfAbsent(t.assetId(), k -> new AssetScorer(SETTINGS));
            AssetScorer.Scores expected = mine.score(own.computeIfAbsent(t.assetId(), k -> mine.newState(sensors)),
                    t.timestamp(), values.clone(), min, max);
            AssetScorer.Scores actual = sharedScorer.score(
                    shared.computeIfAbsent(t.assetId(), k -> sharedScorer.newState(sensors)), t.timestamp(), values, min, max);
            assertThat(actual.sensors()).as("%s at %d", t.assetId(), t.timestamp()).containsExactly(expected.sensors());
            assertThat(actual.surprise()).as("%s at %d", t.assetId(), t.timestamp()).isEqualTo(expected.surprise());
            compared++;
        }
        assertThat(sizes).as("sensor counts of the four models").hasSizeGreaterThan(1);
        assertThat(compared).isGreaterThan(1000);
    }

    @Test
    void healthyAssetsOfEveryTypeStayQuietThroughTheirOperatingCycles() throws Exception {
        for (int asset = 0; asset < 4; asset++) {
            Run run = run(asset, 120, 11, List.of());
            long quietFrom = START + 5 * 60_000;
            long loud = run.scored().stream().filter(s -> s.reading().timestamp() >= quietFrom)
                    .filter(s -> s.worst() >= 0.5).count();
            assertThat(loud).as("%s readings scoring >= 0.5 without any fault", run.model().type())
                    .isLessThanOrEqualTo(2);
        }
    }

    @Test
    void spikeScoresAtOnce() throws Exception {
        Run run = run(2, 20, 5, List.of(fault(2, FaultKind.SPIKE, "vibration_mm_s", 12, 1)));
        FaultLabel l = run.labels().get(0);
        assertThat(run.max(l.start(), l.start() + 1_000)).isGreaterThanOrEqualTo(0.9);
        assertThat(run.max(START + 5 * 60_000, l.start())).isLessThan(0.5);
    }

    @Test
    void driftIsCaughtBeforeItEnds() throws Exception {
        Run run = run(0, 30, 5, List.of(fault(0, FaultKind.DRIFT, "rotor_rpm", 15, 240)));
        FaultLabel l = run.labels().get(0);
        assertThat(run.max(START + 5 * 60_000, l.start())).isLessThan(0.5);
        assertThat(run.max(l.start(), l.end())).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void stuckSensorIsCaughtByItsOwnRepeatRate() throws Exception {
        Run run = run(3, 30, 5, List.of(fault(3, FaultKind.STUCK, "heart_rate_bpm", 15, 180)));
        FaultLabel l = run.labels().get(0);
        assertThat(run.max(l.start(), l.end())).isGreaterThanOrEqualTo(0.75);
        assertThat(run.detectorAtMax(l.start(), l.end(), "heart_rate_bpm")).isEqualTo(Detector.STUCK);
    }

    @Test
    void degradationCrossingTheLimitIsARangeViolation() throws Exception {
        Run run = run(2, 40, 5, List.of(fault(2, FaultKind.DEGRADATION, "bearing_temp_c", 10, 900)));
        FaultLabel l = run.labels().get(0);
        assertThat(run.max(l.start(), l.end())).isEqualTo(1.0);
        assertThat(run.detectorAtMax(l.end() - 60_000, l.end(), "bearing_temp_c")).isEqualTo(Detector.RANGE);
    }
}
