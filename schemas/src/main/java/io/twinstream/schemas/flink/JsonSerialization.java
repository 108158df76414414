package io.twinstream.schemas.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.twinstream.schemas.Json;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes any twinstream record as UTF-8 JSON with the shared mapper. */
public final class JsonSerialization<T> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient ObjectWriter writer;

    public JsonSerialization(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        writer = Json.MAPPER.writerFor(type);
    }

    @Override
    public byte[] serialize(T element) {
        if (writer == null) {
            writer = Json.MAPPER.writerFor(type);
        }
        try {
            return writer.writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + type.getSimpleName(), e);
        }
    }
}
