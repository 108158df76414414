package io.twinstream.schemas.flink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.twinstream.schemas.Json;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Writes any twinstream record as UTF-8 JSON with the shared mapper.
 *
 * <p>One generator and one output buffer per instance, reused for every record; a sink writer calls it from its task
 * thread only. {@code ObjectWriter.writeValueAsBytes} builds a generator, an output buffer and a serializer context per
 * record and takes its buffers from a thread-local pool; in a twin operator's thread, whose thread-local map holds
 * Flink's and Kafka's entries too, that lookup alone was 5% of the thread (docs/performance-journal.md).
 */
public final class JsonSerialization<T> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** Larger than the pipeline's largest records (a snapshot of a many-sensor asset is about 3 KiB): one block. */
    static final int BUFFER_BYTES = 16 * 1024;

    private final Class<T> type;
    private transient ObjectWriter writer;
    private transient ByteArrayBuilder buffer;
    private transient JsonGenerator generator;

    public JsonSerialization(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        writer = Json.MAPPER.writerFor(type);
    }

    @Override
    public byte[] serialize(T element) {
        try {
            if (generator == null) {
                if (writer == null) {
                    writer = Json.MAPPER.writerFor(type);
                }
                buffer = new ByteArrayBuilder(BUFFER_BYTES);
                generator = writer.createGenerator(buffer);
                // one record per call, so nothing between them (the default writes a space before every root value but the first)
                generator.setRootValueSeparator(null);
            }
            writer.writeValue(generator, element);
            generator.flush();
            byte[] bytes = buffer.toByteArray();
            buffer.reset();
            return bytes;
        } catch (IOException | RuntimeException e) {
            // a record that failed halfway leaves the generator inside it: start the next one afresh
            generator = null;
            throw new IllegalStateException("cannot serialize " + type.getSimpleName(), e);
        }
    }
}
