package io.twinstream.generator;

import io.twinstream.schemas.FaultLabel;

/** Where generated records and fault labels go: Kafka, stdout, files, or a test's list. */
public interface RecordSink extends AutoCloseable {

    void send(GeneratedRecord record) throws Exception;

    /** A fault starts now (its end is already known). */
    default void label(FaultLabel label) throws Exception {}

    /** A simulated device's answer to a command (the acknowledgements topic); dropped by sinks without one. */
    default void ack(io.twinstream.schemas.CommandAck ack) throws Exception {}

    default void flush() throws Exception {}

    @Override
    default void close() throws Exception {}
}
