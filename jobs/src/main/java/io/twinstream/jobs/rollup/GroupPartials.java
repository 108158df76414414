package io.twinstream.jobs.rollup;

import io.twinstream.schemas.Rollup;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.Collector;

/** One site's partial of one type counts toward its site, its type and the fleet. */
public final class GroupPartials implements FlatMapFunction<RollupPartial, RollupPartial> {
    public static final String FLEET = "fleet";

    @Override
    public void flatMap(RollupPartial p, Collector<RollupPartial> out) {
        out.collect(p.as(Rollup.Scope.SITE, p.siteId()));
        out.collect(p.as(Rollup.Scope.TYPE, p.assetType()));
        out.collect(p.as(Rollup.Scope.FLEET, FLEET));
    }

    /** Key of the sums: a group and one of its periods. */
    public static final class ByGroupAndPeriod implements KeySelector<RollupPartial, String> {
        @Override
        public String getKey(RollupPartial p) {
            return p.scope() + ":" + p.key() + ":" + p.periodMs();
        }
    }

    /** Key of the site operator. */
    public static final class BySite implements KeySelector<RollupInput, String> {
        @Override
        public String getKey(RollupInput in) {
            return in.siteId();
        }
    }
}
