package io.twinstream.jobs.oncall;

import io.twinstream.schemas.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Posts alerts to every given Alertmanager ({@code POST /api/v2/alerts}; in an Alertmanager cluster each instance is
 * sent every alert, as Prometheus does). Alerts are buffered and posted when {@code batchSize} are waiting and at each
 * checkpoint ({@link SinkWriter#flush}): a checkpoint completes only after its alerts were accepted, so a failure
 * replays from the last checkpoint and sends at least once. Sending one twice changes nothing in Alertmanager (same
 * labels: the same alert).
 *
 * <p>Written by hand on the JDK's HTTP client: Flink has no HTTP sink, and Alertmanager's API is one POST of a JSON
 * array. A post that fails is retried with doubling pauses; after {@code maxRetries} the writer fails, and the job
 * restarts from its checkpoint.
 */
public final class AlertmanagerSink implements Sink<AlertmanagerAlert> {
    private static final long serialVersionUID = 1L;

    private final List<String> urls;
    private final int batchSize;
    private final int maxRetries;
    private final Duration timeout;

    /** @param urls Alertmanager base URLs ({@code http://host:9093}); the API path is added */
    public AlertmanagerSink(List<String> urls, int batchSize, int maxRetries, Duration timeout) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("alertmanager.url: give at least one Alertmanager URL");
        }
        this.urls = List.copyOf(urls);
        this.batchSize = batchSize;
        this.maxRetries = maxRetries;
        this.timeout = timeout;
    }

    /** The v2 alerts endpoint under an Alertmanager base URL. */
    static URI alertsEndpoint(String base) {
        String b = base.trim();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/api/v2/alerts");
    }

    @Override
    public SinkWriter<AlertmanagerAlert> createWriter(WriterInitContext context) {
        return new Writer(context.metricGroup().counter("alertmanagerAlertsSent"),
                context.metricGroup().counter("alertmanagerPostsRetried"));
    }

    private final class Writer implements SinkWriter<AlertmanagerAlert> {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        private final List<AlertmanagerAlert> buffer = new ArrayList<>();
        private final Counter sent;
        private final Counter retried;

        Writer(Counter sent, Counter retried) {
            this.sent = sent;
            this.retried = retried;
        }

        @Override
        public void write(AlertmanagerAlert alert, Context context) throws IOException, InterruptedException {
            buffer.add(alert);
            if (buffer.size() >= batchSize) {
                post();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            post();
        }

        private void post() throws IOException, InterruptedException {
            if (buffer.isEmpty()) {
                return;
            }
            byte[] body = Json.MAPPER.writeValueAsBytes(buffer);
            for (String url : urls) {
                postTo(alertsEndpoint(url), body);
            }
            sent.inc(buffer.size());
            buffer.clear();
        }

        private void postTo(URI endpoint, byte[] body) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            long pauseMs = 200;
            for (int attempt = 0; ; attempt++) {
                String failure;
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 == 2) {
                        return;
                    }
                    failure = "HTTP " + response.statusCode() + ": " + response.body().strip();
                    if (response.statusCode() == 400) {
                        attempt = maxRetries; // the request itself is wrong: a retry would be refused the same way
                    }
                } catch (IOException e) {
                    failure = e.toString();
                }
                if (attempt >= maxRetries) {
                    throw new IOException("Alertmanager " + endpoint + " did not accept " + buffer.size()
                            + " alerts (attempt " + (attempt + 1) + "): " + failure);
                }
                retried.inc();
                Thread.sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, 10_000);
            }
        }

        @Override
        public void close() {
            // the JDK 17 client has no close(); its threads end with it
        }
    }
}
