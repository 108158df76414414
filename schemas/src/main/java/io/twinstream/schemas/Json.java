package io.twinstream.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration every twinstream reader and writer shares. */
public final class Json {

    /**
     * Thread-safe once configured. Unknown properties are accepted (older readers, newer writers),
     * missing nullable ones read as null (newer readers, older writers);
     * primitives must be present and of the right type, so a missing {@code timestamp} is a schema
     * violation rather than a silent zero.
     */
    public static final ObjectMapper MAPPER = configured().addModule(OutputWriters.module()).build();

    /**
     * The shared configuration, without {@link OutputWriters}: with it alone Jackson writes every record through its
     * reflective bean writers, the reference the streaming writers must match byte for byte ({@code OutputWritersTest}).
     */
    static JsonMapper.Builder configured() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                // the same record writes the same bytes, whatever map its state came back as after a restore
                .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                // doubles are most of what the pipeline writes; the JDK's Double.toString was its top hot spot
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER);
    }

    private Json() {}
}
