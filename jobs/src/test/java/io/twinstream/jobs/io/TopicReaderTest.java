package io.twinstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinstream.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A reader that checks what a topic holds must not pass on a truncated read. */
class TopicReaderTest {

    @Test
    void aReadThatDoesNotReachTheEndFailsUnlessAPartialReadIsFine() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            kafka.createTopic("many", 2, Map.of());
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 20_000; i++) {
                    producer.send(new ProducerRecord<>("many", "k" + i, "v".repeat(100)));
                }
            }
            assertThat(TopicReader.readAll(p, "many", true)).hasSize(20_000);
            // no time to read anything: the poll loop is not even entered
            assertThatThrownBy(() -> TopicReader.readAll(p, "many", true, Duration.ZERO, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("read topic many only to offset 0 of 20000");
            assertThat(TopicReader.readAll(p, "many", true, Duration.ZERO, true)).isEmpty();
        }
    }
}
