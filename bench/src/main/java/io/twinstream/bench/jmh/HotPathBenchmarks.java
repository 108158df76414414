package io.twinstream.bench.jmh;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.twinstream.generator.FleetGenerator;
import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.GeneratorConfig;
import io.twinstream.generator.RecordSink;
import io.twinstream.jobs.alert.AlertLogic;
import io.twinstream.jobs.alert.AlertSettings;
import io.twinstream.jobs.alert.AssetAlerts;
import io.twinstream.jobs.anomaly.Scoring;
import io.twinstream.jobs.anomaly.ScoringSettings;
import io.twinstream.jobs.anomaly.ScoringState;
import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.io.TelemetryParser;
import io.twinstream.jobs.twin.AssetState;
import io.twinstream.jobs.twin.AssetStateSerializer;
import io.twinstream.jobs.twin.TwinLogic;
import io.twinstream.jobs.twin.TwinSettings;
import io.twinstream.jobs.twin.TwinState;
import io.twinstream.schemas.AnomalyScore;
import io.twinstream.schemas.DerivedNumber;
import io.twinstream.schemas.SensorScore;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import io.twinstream.schemas.flink.JsonSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.ByteArrayOutputStreamWithPos;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-reading hot paths of the pipeline, one asset's generated readings replayed in a loop:
 * parsing and validating a record, updating the twin, scoring the reading, and writing a twin snapshot and a
 * window score as JSON (the records of the pump's last window, with its five sensors, and the snapshot of its first
 * reading), and writing and reading
 * back the pump's whole state value the way the RocksDB backend does. Replayed readings are
 * shifted forward in time (one small record copy per call) so state keeps moving as it does live.
 *
 * <pre>bin/twinstream jmh</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {
    private final AssetModels models = AssetModels.builtIn();
    private final PipelineConfig config = PipelineConfig.defaults();
    private TelemetryParser parser;
    private TwinLogic twin;
    private Scoring scoring;
    private List<byte[]> payloads;
    private List<Telemetry> readings;
    private long span;
    private int next;
    private long round;
    private TwinState twinState;
    private ScoringState scoringState;
    private TwinSnapshot snapshot;
    /** The snapshot an asset's first reading writes, as at a million assets with 1.5 readings each. */
    private TwinSnapshot firstSnapshot;
    private AnomalyScore score;
    private AssetState assetState;
    private final TypeSerializer<AssetState> stateSerializer = new AssetStateSerializer();
    private final TypeSerializer<AssetState> layoutOneStateSerializer = new AssetStateSerializer(1);
    private final TypeSerializer<AssetState> pojoStateSerializer =
            TypeInformation.of(AssetState.class).createSerializer(new SerializerConfigImpl());
    /** What Flink's RocksDB backend hands a value serializer: a stream wrapper over a byte array. */
    private final ByteArrayOutputStreamWithPos rocksDbBytes = new ByteArrayOutputStreamWithPos(4096);
    private final DataOutputViewStreamWrapper rocksDbView = new DataOutputViewStreamWrapper(rocksDbBytes);
    private final DataInputDeserializer rocksDbInput = new DataInputDeserializer();
    private final ObjectWriter snapshotWriter = Json.MAPPER.writerFor(TwinSnapshot.class);
    private final ObjectWriter scoreWriter = Json.MAPPER.writerFor(AnomalyScore.class);
    /** What the pipeline's sinks call: one generator and buffer per sink, reused (the {@code *Json} ones build them per call). */
    private final JsonSerialization<TwinSnapshot> snapshotSchema = new JsonSerialization<>(TwinSnapshot.class);
    private final JsonSerialization<AnomalyScore> scoreSchema = new JsonSerialization<>(AnomalyScore.class);
    /** The derived numbers the snapshot and the score above write (means, deviations, scores, trends, forecasts). */
    private double[] derived;
    private final char[] numberText = new char[32];

    @Setup
    public void setUp() throws Exception {
        parser = new TelemetryParser(io.twinstream.jobs.io.InputLimits.from(config));
        twin = new TwinLogic(models, TwinSettings.from(config));
        scoring = new Scoring(models, ScoringSettings.from(config));
        payloads = new ArrayList<>();
        readings = new ArrayList<>();
        GeneratorConfig g = GeneratorConfig.defaults().copy().seed(1).assets(1).assetTypes(List.of("INDUSTRIAL_PUMP"))
                .startMs(1_763_884_800_000L).durationMs(3_600_000).ratePerSecond(0).faultsPerAssetHour(2).build();
        new FleetGenerator(g, models).run(new RecordSink() {
            @Override
            public void send(GeneratedRecord r) {
                payloads.add(r.value());
                readings.add(r.reading());
            }
        });
        span = readings.get(readings.size() - 1).timestamp() - readings.get(0).timestamp() + 1_000;
        twinState = twin.newState();
        scoringState = scoring.newState(readings.get(0));
        // one pass over the hour for the output records; the benchmarks then start from fresh state
        TwinState t = twin.newState();
        ScoringState s = scoring.newState(readings.get(0));
        TwinSnapshot[] lastSnapshot = new TwinSnapshot[1];
        AnomalyScore[] lastScore = new AnomalyScore[1];
        for (Telemetry r : readings) {
            twin.apply("pump-1", t, r, x -> lastSnapshot[0] = x);
            scoring.score(s, r);
            scoring.closeUpTo("pump-1", s, r.timestamp(), x -> lastScore[0] = x);
        }
        TwinSnapshot[] first = new TwinSnapshot[1];
        twin.apply("pump-1", twin.newState(), readings.get(0), x -> first[0] = x);
        firstSnapshot = new AlertLogic(models, AlertSettings.from(config)).onSnapshot("pump-1", new AssetAlerts(), first[0], a -> {});
        score = lastScore[0];
        snapshot = lastSnapshot[0].withHealth(1 - score.score(), 0, score.sensors());
        List<Double> numbers = new ArrayList<>();
        snapshot.sensors().values().forEach(x -> {
            numbers.add(x.mean());
            numbers.add(x.stddev());
        });
        for (SensorScore x : score.sensors().values()) {
            numbers.addAll(List.of(x.score(), x.observed(), x.expected(), x.trendPerHour()));
            if (x.rulSeconds() != null) {
                numbers.add(x.rulSeconds());
            }
        }
        derived = numbers.stream().mapToDouble(Double::doubleValue).toArray();
        assetState = new AssetState();
        assetState.twin = t;
        assetState.scoring = s;
        assetState.alerts = new AssetAlerts();
        assetState.alerts.assetType = t.assetType;
        assetState.alerts.siteId = t.siteId;
        assetState.alerts.maintenance = score.sensors();
        assetState.alerts.health = 1 - score.score();
        readings.get(readings.size() - 1).readings().forEach(assetState.alerts.currentValues::put);
    }

    private Telemetry nextReading() {
        if (next == readings.size()) {
            next = 0;
            round++;
        }
        Telemetry t = readings.get(next++);
        return round == 0 ? t : new Telemetry(t.schemaVersion(), t.eventId(), t.assetId(), t.assetType(), t.siteId(),
                t.timestamp() + round * span, t.seq() + round * readings.size(), t.readings());
    }

    @Benchmark
    public TelemetryParser.Result parseAndValidate() {
        byte[] payload = payloads.get(next++ % payloads.size());
        return parser.parse(payload);
    }

    @Benchmark
    public void twinUpdate(Blackhole bh) {
        twin.apply("pump-1", twinState, nextReading(), bh::consume);
    }

    @Benchmark
    public Scoring.Scored scoreUpdate(Blackhole bh) {
        Telemetry t = nextReading();
        Scoring.Scored s = scoring.score(scoringState, t);
        scoring.closeUpTo("pump-1", scoringState, t.timestamp(), bh::consume);
        return s;
    }

    /** The pump's state value after an hour, written and read back as the RocksDB backend does on every reading. */
    @Benchmark
    public AssetState stateRoundTrip() throws Exception {
        return roundTrip(stateSerializer);
    }

    /** The same with Flink's POJO serializer, which {@link AssetStateSerializer} replaced. */
    @Benchmark
    public AssetState stateRoundTripPojo() throws Exception {
        return roundTrip(pojoStateSerializer);
    }

    /** The same in the serializer's layout 1, which layout 2 replaced. */
    @Benchmark
    public AssetState stateRoundTripLayoutOne() throws Exception {
        return roundTrip(layoutOneStateSerializer);
    }

    private AssetState roundTrip(TypeSerializer<AssetState> serializer) throws Exception {
        rocksDbBytes.reset();
        serializer.serialize(assetState, rocksDbView);
        rocksDbInput.setBuffer(rocksDbBytes.getBuf(), 0, rocksDbBytes.getPosition());
        return serializer.deserialize(rocksDbInput);
    }

    @Benchmark
    public byte[] snapshotJson() throws Exception {
        return snapshotWriter.writeValueAsBytes(snapshot);
    }

    @Benchmark
    public byte[] firstSnapshotJson() throws Exception {
        return snapshotWriter.writeValueAsBytes(firstSnapshot);
    }

    @Benchmark
    public byte[] scoreJson() throws Exception {
        return scoreWriter.writeValueAsBytes(score);
    }

    /** Formats each of {@link #derived} as the output writers do; the time is for all of them (about 35). */
    @Benchmark
    public int derivedNumbers() {
        int length = 0;
        for (double v : derived) {
            length += DerivedNumber.format(v, numberText);
        }
        return length;
    }

    @Benchmark
    public byte[] snapshotSink() {
        return snapshotSchema.serialize(snapshot);
    }

    @Benchmark
    public byte[] scoreSink() {
        return scoreSchema.serialize(score);
    }
}
