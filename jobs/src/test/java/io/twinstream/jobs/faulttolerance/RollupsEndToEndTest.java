package io.twinstream.jobs.faulttolerance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.jobs.config.PipelineConfig.Key;
import io.twinstream.jobs.io.KafkaPipelineIo;
import io.twinstream.kafka.EmbeddedKafka;
import io.twinstream.schemas.Alert;
import io.twinstream.schemas.AssetModels;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.Json;
import io.twinstream.schemas.Rollup;
import io.twinstream.schemas.SiteState;
import io.twinstream.schemas.Telemetry;
import io.twinstream.schemas.TwinSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Site, type and fleet roll-ups on the real broker, checked against the per-asset truth: for every period, what the
 * snapshots and alert events before its end say, asset by asset. Site A (six pumps) loses five of them for two
 * minutes: one SITE_OUTAGE, naming their OFFLINE alerts; site B (three pumps, two batteries, a turbine) keeps
 * reporting. The turbine's power is a known curve with a short gap (bridged) and a long one (not): its energy, per
 * minute and in all, is checked against the curve's integral.
 */
class RollupsEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final long START = 1_764_000_000_000L - 1_764_000_000_000L % 3_600_000L; // an hour's start
    static EmbeddedKafka kafka;
    static PipelineFixture.Outputs out;

    @BeforeAll
    static void run() throws Exception {
        kafka = EmbeddedKafka.startTemporary();
        PipelineFixture fixture = new PipelineFixture(kafka);
        kafka.createTopic("rollups.in", 2, Map.of());
        PipelineConfig c = fixture.run("rollups", "rollups.in");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(c.kafkaProperties(), new StringSerializer(),
                new StringSerializer())) {
            for (long t = 0; t < 6 * 60_000; t += 1_000) {
                for (String asset : List.of("a0", "a1", "a2", "a3", "a4", "a5", "b0", "b1", "b2", "b3", "b4")) {
                    boolean silent = asset.startsWith("a") && !asset.equals("a0") && t >= 120_000 && t < 240_000;
                    if (!silent) {
                        Telemetry r = reading(asset, t);
                        producer.send(new ProducerRecord<>("rollups.in", asset, Json.MAPPER.writeValueAsString(r)));
                    }
                }
                if (turbineReports(t)) {
                    producer.send(new ProducerRecord<>("rollups.in", TURBINE,
                            Json.MAPPER.writeValueAsString(turbine(t))));
                }
            }
        }
        FaultToleranceTest.runToEnd(c, new KafkaPipelineIo(c));
        out = fixture.read(c);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static final String TURBINE = "b5";

    /** Every 2 s, but not at 100-102 s (a 6 s gap: three intervals, bridged) nor from 200 to 270 s (not bridged). */
    static boolean turbineReports(long t) {
        return t % 2_000 == 0 && !(t > 98_000 && t < 104_000) && !(t > 198_000 && t < 272_000);
    }

    /** The turbine's power: 1,000 kW plus 500 kW on a ten-minute sine. */
    static double power(double tMs) {
        return 1_000 + 500 * Math.sin(2 * Math.PI * tMs / 600_000);
    }

    /** Its integral in kWh from a to b (ms after START). */
    static double energy(double a, double b) {
        double k = 2 * Math.PI / 600_000;
        return (1_000 * (b - a) - 500 / k * (Math.cos(k * b) - Math.cos(k * a))) / 3_600_000;
    }

    /** What the turbine produced as the pipeline should count it: the curve's integral where it was not silent long. */
    static double truth(long from, long to) {
        double sum = energy(from, to);
        double gapA = 198_000;
        double gapB = 272_000;
        sum -= Math.max(0, energy(Math.max(from, gapA), Math.min(to, gapB)) * (Math.min(to, gapB) > Math.max(from, gapA) ? 1 : 0));
        return sum;
    }

    static Telemetry turbine(long t) {
        Map<String, Double> v = new LinkedHashMap<>();
        double p = power(t);
        v.put("wind_speed", 9.0 + t / 1_000 % 3 * 0.1);
        v.put("rotor_rpm", 14.0 + t / 1_000 % 5 * 0.1);
        v.put("power_kw", p);
        v.put("gearbox_temp_c", 60.0 + t / 1_000 % 4 * 0.1);
        v.put("vibration_mm_s", 3.0 + t / 1_000 % 6 * 0.1);
        return new Telemetry(1, TURBINE + ":" + t, TURBINE, AssetModels.WIND_TURBINE, "site-b", START + t, t / 2_000, v);
    }

    @Test
    void theTurbinesEnergyIsItsPowerCurvesIntegralWithinOnePercentPerMinuteAndInAllGapsIncluded() {
        List<TwinSnapshot> turbine = out.snapshots().get(TURBINE).stream()
                .map(v -> CommandsAcrossFailureTest.read(v, TwinSnapshot.class)).toList();
        TwinSnapshot last = turbine.get(turbine.size() - 1);
        double total = truth(0, 358_000); // its last reading is at 358 s
        assertThat(last.energy().totalProducedKwh()).isCloseTo(total, within(total * 0.01));
        assertThat(last.energy().totalConsumedKwh()).isZero();
        assertThat(last.energy().hour().capacityFactor()).isCloseTo(total / 2_000 / (358_000 / 3_600_000.0),
                within(0.01));

        List<Rollup> minutes = all(out.rollups(), Rollup.class).stream().filter(r -> r.scope() == Rollup.Scope.TYPE
                && r.key().equals(AssetModels.WIND_TURBINE) && r.period().equals("PT1M")).toList();
        assertThat(minutes).hasSize(6);
        for (Rollup r : minutes) {
            double expected = truth(r.periodStart() - START, Math.min(r.periodEnd() - START, 358_000));
            assertThat(r.figures().producedKwh()).as("minute to %d", r.periodEnd() - START)
                    .isCloseTo(expected, within(Math.max(expected * 0.01, 1e-9)));
            assertThat(r.figures().capacityFactor()).isCloseTo(r.figures().producedKwh() / (2_000 / 60.0), within(1e-4));
        }
        assertThat(minutes.stream().mapToDouble(r -> r.figures().producedKwh()).sum())
                .isCloseTo(last.energy().totalProducedKwh(), within(1e-5 * total));
        Rollup hour = all(out.rollups(), Rollup.class).stream().filter(r -> r.scope() == Rollup.Scope.TYPE
                && r.key().equals(AssetModels.WIND_TURBINE) && r.period().equals("PT1H")).findFirst().orElseThrow();
        assertThat(hour.figures().producedKwh()).isCloseTo(last.energy().totalProducedKwh(), within(1e-5 * total));
    }

    @Test
    void theFleetsEnergyIsTheSumOfItsAssetsAndPumpsAndBatteriesHaveTheirFiguresOfMerit() {
        double produced = 0;
        double consumed = 0;
        for (List<String> values : out.snapshots().values()) {
            TwinSnapshot last = CommandsAcrossFailureTest.read(values.get(values.size() - 1), TwinSnapshot.class);
            produced += last.energy().totalProducedKwh();
            consumed += last.energy().totalConsumedKwh();
        }
        List<Rollup> fleet = all(out.rollups(), Rollup.class).stream()
                .filter(r -> r.scope() == Rollup.Scope.FLEET && r.period().equals("PT1M")).toList();
        assertThat(fleet.stream().map(r -> r.figures().producedKwh()).filter(e -> e != null).mapToDouble(e -> e).sum())
                .isCloseTo(produced, within(1e-5 * produced));
        assertThat(fleet.stream().map(r -> r.figures().consumedKwh()).filter(e -> e != null).mapToDouble(e -> e).sum())
                .isCloseTo(consumed, within(1e-5 * consumed));
        // pumps: 0.589 kW per ampere of motor current, about 62 A for about 183 m3/h
        Rollup pumps = all(out.rollups(), Rollup.class).stream().filter(r -> r.scope() == Rollup.Scope.TYPE
                && r.key().equals(AssetModels.INDUSTRIAL_PUMP) && r.period().equals("PT1H")).findFirst().orElseThrow();
        assertThat(pumps.figures().specificEnergyKwhPerM3()).isCloseTo(0.589 * 62 / 183, within(0.01));
        // batteries discharge at 40-46 A and never charge here: no round trip to speak of
        Rollup batteries = all(out.rollups(), Rollup.class).stream().filter(r -> r.scope() == Rollup.Scope.TYPE
                && r.key().equals(AssetModels.EV_BATTERY) && r.period().equals("PT1H")).findFirst().orElseThrow();
        assertThat(batteries.figures().producedKwh()).isPositive();
        assertThat(batteries.figures().roundTripEfficiency()).isNull();
    }

    static Telemetry reading(String asset, long t) {
        long s = t / 1_000;
        Map<String, Double> v = new LinkedHashMap<>();
        String type;
        if (asset.equals("b3") || asset.equals("b4")) {
            type = AssetModels.EV_BATTERY;
            v.put("state_of_charge_pct", 60.0 + s % 5);
            v.put("pack_voltage_v", 350.0 + s % 3);
            v.put("current_a", 40.0 + s % 7);
            v.put("cell_temp_c", 25.0 + s % 4 * 0.1);
        } else {
            type = AssetModels.INDUSTRIAL_PUMP;
            v.put("flow_m3h", 180.0 + s % 7);
            v.put("discharge_pressure_bar", 6 + s % 3 * 0.1);
            v.put("motor_current_a", 60.0 + s % 5);
            v.put("bearing_temp_c", 55 + s % 4 * 0.2);
            v.put("vibration_mm_s", 3 + s % 6 * 0.1);
        }
        return new Telemetry(1, asset + ":" + t, asset, type, asset.startsWith("a") ? "site-a" : "site-b", START + t,
                s, v);
    }

    static <T> List<T> all(Map<String, List<String>> byKey, Class<T> type) {
        List<T> list = new ArrayList<>();
        byKey.values().forEach(values -> values.forEach(v -> list.add(CommandsAcrossFailureTest.read(v, type))));
        return list;
    }

    @Test
    void everyPeriodsFiguresEqualWhatTheAssetsSnapshotsAndAlertsSayAtItsEnd() {
        List<Rollup> rollups = all(out.rollups(), Rollup.class);
        Map<String, List<TwinSnapshot>> snapshots = new TreeMap<>();
        out.snapshots().forEach((asset, values) -> snapshots.put(asset,
                values.stream().map(v -> CommandsAcrossFailureTest.read(v, TwinSnapshot.class)).toList()));
        List<List<Alert>> alerts = new ArrayList<>();
        out.alerts().values().forEach(values -> alerts.add(values.stream()
                .map(v -> CommandsAcrossFailureTest.read(v, Alert.class)).toList()));

        assertThat(rollups).filteredOn(r -> r.period().equals("PT1M") && r.scope() == Rollup.Scope.SITE
                && r.key().equals("site-a")).extracting(Rollup::periodEnd)
                .containsSequence(START + 60_000, START + 120_000, START + 180_000, START + 240_000, START + 300_000,
                        START + 360_000);
        assertThat(rollups).filteredOn(r -> r.period().equals("PT1H")).extracting(Rollup::periodEnd)
                .containsOnly(START + 3_600_000);
        long day = 86_400_000L;
        assertThat(rollups).filteredOn(r -> r.period().equals("PT24H")).extracting(Rollup::periodEnd)
                .containsOnly(Math.floorDiv(START, day) * day + day);
        // at the end of the input, no empty minutes up to the hour's end
        assertThat(rollups).filteredOn(r -> r.period().equals("PT1M")).extracting(Rollup::periodEnd)
                .allMatch(end -> end <= START + 360_000);
        assertThat(rollups).extracting(Rollup::scope).contains(Rollup.Scope.SITE, Rollup.Scope.TYPE, Rollup.Scope.FLEET);
        for (Rollup r : rollups) {
            Predicate<TwinSnapshot> inGroup = switch (r.scope()) {
                case SITE -> s -> s.siteId().equals(r.key());
                case TYPE -> s -> s.assetType().equals(r.key());
                case FLEET -> s -> true;
            };
            Map<String, TwinSnapshot> latest = new TreeMap<>();
            snapshots.forEach((asset, list) -> list.stream().filter(s -> s.snapshotTime() < r.periodEnd())
                    .reduce((a, b) -> b).filter(inGroup).ifPresent(s -> latest.put(asset, s)));
            Map<String, int[]> openByAsset = new TreeMap<>();
            for (List<Alert> incident : alerts) {
                incident.stream().filter(a -> a.updatedAt() < r.periodEnd()).reduce((a, b) -> b)
                        .filter(a -> a.kind() != Alert.AlertKind.SITE_OUTAGE && a.state() != Alert.AlertState.RESOLVED)
                        .filter(a -> latest.containsKey(a.assetId()))
                        .ifPresent(a -> openByAsset.computeIfAbsent(a.assetId(), k -> new int[2])
                                [a.severity() == Alert.Severity.CRITICAL ? 1 : 0]++);
            }
            String what = r.scope() + " " + r.key() + " " + r.period() + " to " + (r.periodEnd() - START);
            assertThat(r.figures().assets()).as(what).isEqualTo(latest.size());
            assertThat(r.figures().online()).as(what).isEqualTo(count(latest, AssetStatus.ONLINE));
            assertThat(r.figures().stale()).as(what).isEqualTo(count(latest, AssetStatus.STALE));
            assertThat(r.figures().offline()).as(what).isEqualTo(count(latest, AssetStatus.OFFLINE));
            assertThat(r.figures().alertingAssets()).as(what).isEqualTo(openByAsset.size());
            assertThat(r.figures().openWarning()).as(what)
                    .isEqualTo(openByAsset.values().stream().mapToInt(a -> a[0]).sum());
            assertThat(r.figures().openCritical()).as(what)
                    .isEqualTo(openByAsset.values().stream().mapToInt(a -> a[1]).sum());
            List<Double> health = latest.values().stream().map(TwinSnapshot::health).filter(h -> h != null).toList();
            if (health.isEmpty()) {
                assertThat(r.figures().meanHealth()).as(what).isNull();
            } else {
                assertThat(r.figures().meanHealth()).as(what)
                        .isCloseTo(health.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-3));
                assertThat(r.figures().worstHealth()).as(what)
                        .isCloseTo(health.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), within(1e-3));
            }
        }
        // the outage shows: five of site A's pumps OFFLINE at the end of minute 3
        assertThat(rollups).filteredOn(r -> r.scope() == Rollup.Scope.SITE && r.key().equals("site-a")
                && r.period().equals("PT1M") && r.periodEnd() == START + 180_000)
                .singleElement().satisfies(r -> assertThat(r.figures().offline()).isEqualTo(5));
    }

    private static int count(Map<String, TwinSnapshot> latest, AssetStatus status) {
        return (int) latest.values().stream().filter(s -> s.status() == status).count();
    }

    @Test
    void anOutageOfFiveOfASitesSixPumpsIsOneSiteAlertNamingTheirAlerts() {
        List<Alert> alerts = all(out.alerts(), Alert.class);
        List<Alert> site = alerts.stream().filter(a -> a.kind() == Alert.AlertKind.SITE_OUTAGE).toList();
        assertThat(site).extracting(Alert::state).containsExactly(Alert.AlertState.OPENED, Alert.AlertState.RESOLVED);
        assertThat(site).extracting(Alert::alertId).containsOnly(site.get(0).alertId());
        Alert opened = site.get(0);
        assertThat(opened.siteId()).isEqualTo("site-a");
        assertThat(opened.severity()).isEqualTo(Alert.Severity.CRITICAL);
        // opened within a rollup step of the fifth pump going OFFLINE; resolved within a step of their return
        assertThat(opened.startedAt()).isBetween(START + 120_000, START + 150_000);
        assertThat(site.get(1).resolvedAt()).isBetween(START + 240_000, START + 260_000);
        List<String> offlineAlerts = alerts.stream().filter(a -> a.kind() == Alert.AlertKind.OFFLINE
                && a.state() == Alert.AlertState.OPENED && a.siteId().equals("site-a")).map(Alert::alertId).toList();
        assertThat(offlineAlerts).hasSize(5);
        assertThat(opened.relatedAlerts()).containsAll(offlineAlerts);
        assertThat(opened.reason()).contains("of 6 assets at site site-a");

        List<SiteState> states = all(out.siteStates(), SiteState.class);
        assertThat(states).filteredOn(s -> s.siteId().equals("site-a") && opened.alertId().equals(s.siteAlertId()))
                .isNotEmpty().allSatisfy(s -> assertThat(s.figures().offline() + s.figures().alertingAssets())
                        .isGreaterThanOrEqualTo(3));
        assertThat(states).filteredOn(s -> s.siteId().equals("site-b")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.siteAlertId()).isNull());
        // a site-state record only when the state changed
        for (List<String> values : out.siteStates().values()) {
            for (int i = 1; i < values.size(); i++) {
                SiteState a = CommandsAcrossFailureTest.read(values.get(i - 1), SiteState.class);
                SiteState b = CommandsAcrossFailureTest.read(values.get(i), SiteState.class);
                assertThat(b.figures().equals(a.figures()) && java.util.Objects.equals(a.siteAlertId(), b.siteAlertId()))
                        .as("site state %s repeated at %d", b.siteId(), b.time()).isFalse();
            }
        }
    }
}
