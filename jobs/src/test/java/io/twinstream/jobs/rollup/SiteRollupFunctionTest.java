package io.twinstream.jobs.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinstream.jobs.config.PipelineConfig;
import io.twinstream.schemas.AssetStatus;
import io.twinstream.schemas.SiteState;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The site operator alone, in Flink's keyed operator harness. */
class SiteRollupFunctionTest {
    static final long MINUTE = 60_000;
    static final long DAY = 86_400_000;

    static KeyedOneInputStreamOperatorTestHarness<String, RollupInput, RollupPartial> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new SiteRollupFunction(RollupSettings.from(PipelineConfig.defaults()))), new GroupPartials.BySite(),
                Types.STRING);
        h.open();
        return h;
    }

    static RollupInput snapshot(String asset, long time, AssetStatus status) {
        return new RollupInput("site-a", asset, "INDUSTRIAL_PUMP", time, status, 1.0, 0, 0, 0, 0, 0, false, false,
                null, null, false);
    }

    static List<RollupPartial> partials(KeyedOneInputStreamOperatorTestHarness<String, RollupInput, RollupPartial> h) {
        return h.extractOutputValues();
    }

    @Test
    void aSiteThatFellSilentStopsTickingAfterTheIdleTimeAndResumesWithItsNextRecord() throws Exception {
        var h = harness();
        // one record from a clock far in the past, then the present: the operator must not tick through the years
        h.processElement(new StreamRecord<>(snapshot("pump-old", 5 * MINUTE, AssetStatus.ONLINE), 5 * MINUTE));
        long now = 20_000 * DAY;
        h.processElement(new StreamRecord<>(snapshot("pump-1", now + 1_000, AssetStatus.ONLINE), now + 1_000));
        long started = System.nanoTime();
        h.processWatermark(now + 10 * MINUTE);
        assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(30);
        long inThePast = partials(h).stream().filter(p -> p.periodEnd() <= 2 * DAY).count();
        assertThat(inThePast).as("the old record's day, and no further").isBetween(1L, 1_440L + 24 + 1);
        assertThat(partials(h)).filteredOn(p -> p.periodEnd() > 2 * DAY && p.periodEnd() < now).isEmpty();
        // the present is rolled up minute by minute again: both pumps counted
        assertThat(partials(h)).filteredOn(p -> p.periodMs() == MINUTE && p.periodEnd() > now)
                .isNotEmpty().allSatisfy(p -> assertThat(p.assets()).isEqualTo(2));
        h.close();
    }

    @Test
    void theSiteStateIsWrittenWhenItChangesOnly() throws Exception {
        var h = harness();
        h.processElement(new StreamRecord<>(snapshot("pump-1", 1_000, AssetStatus.ONLINE), 1_000));
        h.processWatermark(5 * MINUTE);
        h.processElement(new StreamRecord<>(snapshot("pump-1", 6 * MINUTE, AssetStatus.OFFLINE), 6 * MINUTE));
        h.processWatermark(10 * MINUTE);
        var states = h.getSideOutput(SiteRollupFunction.SITE_STATE);
        assertThat(states).extracting(r -> ((StreamRecord<SiteState>) r).getValue().figures().offline())
                .containsExactly(0, 1);
        h.close();
    }
}
