package io.twinstream.generator.sink;

import io.twinstream.generator.GeneratedRecord;
import io.twinstream.generator.RecordSink;
import io.twinstream.schemas.FaultLabel;
import io.twinstream.schemas.Json;
import java.io.OutputStream;

/** One record per line (the exact bytes sent, so malformed ones stay malformed) to a stream or file. */
public final class JsonLinesSink implements RecordSink {
    private final OutputStream records;
    private final OutputStream labels;
    private final boolean closeStreams;

    /**
     * @param labels       null to drop labels
     * @param closeStreams whether {@link #close()} closes the streams (false for stdout)
     */
    public JsonLinesSink(OutputStream records, OutputStream labels, boolean closeStreams) {
        this.records = records;
        this.labels = labels;
        this.closeStreams = closeStreams;
    }

    @Override
    public void send(GeneratedRecord record) throws Exception {
        records.write(record.value());
        records.write('\n');
    }

    @Override
    public void label(FaultLabel label) throws Exception {
        if (labels != null) {
            labels.write(Json.MAPPER.writeValueAsBytes(label));
            labels.write('\n');
        }
    }

    @Override
    public void flush() throws Exception {
        records.flush();
        if (labels != null) {
            labels.flush();
        }
    }

    @Override
    public void close() throws Exception {
        flush();
        if (closeStreams) {
            records.close();
            if (labels != null) {
                labels.close();
            }
        }
    }
}
