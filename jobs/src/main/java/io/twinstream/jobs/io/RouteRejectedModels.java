package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid model records go on (to be broadcast); rejected ones to the dead-letter side output, once. */
public final class RouteRejectedModels extends ProcessFunction<ModelRecord, ModelRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("model-dead-letters", TypeInformation.of(DeadLetter.class));

    @Override
    public void processElement(ModelRecord in, Context ctx, Collector<ModelRecord> out) {
        if (in.isValid()) {
            out.collect(in);
        } else {
            ctx.output(DEAD_LETTERS, in.rejected());
        }
    }
}
