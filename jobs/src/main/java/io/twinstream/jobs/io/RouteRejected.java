package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid readings go on; rejected records go to the dead-letter side output. */
public final class RouteRejected extends ProcessFunction<Ingested, Ingested> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("parse-dead-letters", TypeInformation.of(DeadLetter.class));

    @Override
    public void processElement(Ingested in, Context ctx, Collector<Ingested> out) {
        if (in.isValid()) {
            out.collect(in);
        } else {
            ctx.output(DEAD_LETTERS, in.rejected());
        }
    }
}
