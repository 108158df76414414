package io.twinstream.generator;

import io.twinstream.schemas.FaultLabel;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything in memory, for assertions. */
final class CollectingSink implements RecordSink {
    final List<GeneratedRecord> records = new ArrayList<>();
    final List<FaultLabel> labels = new ArrayList<>();

    @Override
    public void send(GeneratedRecord record) {
        records.add(record);
    }

    @Override
    public void label(FaultLabel label) {
        labels.add(label);
    }

    static CollectingSink run(GeneratorConfig config) throws Exception {
        CollectingSink sink = new CollectingSink();
        new FleetGenerator(config, io.twinstream.schemas.AssetModels.builtIn()).run(sink);
        return sink;
    }
}
