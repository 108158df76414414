package io.twinstream.schemas.flink;

import com.fasterxml.jackson.databind.ObjectReader;
import io.twinstream.schemas.Json;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Reads a twinstream record from UTF-8 JSON; for trusted topics the pipeline itself wrote
 * (snapshots, alerts). Untrusted telemetry goes through the validating parser in {@code jobs}.
 */
public final class JsonDeserialization<T> implements DeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient ObjectReader reader;

    public JsonDeserialization(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        reader = Json.MAPPER.readerFor(type);
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        if (reader == null) {
            reader = Json.MAPPER.readerFor(type);
        }
        return reader.readValue(message);
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
