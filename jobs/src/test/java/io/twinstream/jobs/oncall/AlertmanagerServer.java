package io.twinstream.jobs.oncall;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.twinstream.schemas.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager (the Debian package's binary) on a free port, routing every alert to a webhook served here, so a
 * test sees both what Alertmanager holds ({@code GET /api/v2/alerts}) and the notifications it sends.
 */
final class AlertmanagerServer implements AutoCloseable {
    final String url;
    /** Each notification's alerts as the webhook received them, in order. */
    final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private final Process process;
    private final HttpServer webhook;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path log;

    AlertmanagerServer(Path dir) throws Exception {
        Path binary = DebianTool.require("prometheus-alertmanager", "prometheus-alertmanager");
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            for (JsonNode alert : body.path("alerts")) {
                notifications.add(alert);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        int port = io.twinstream.jobs.testing.Probes.freePort();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: hook
                  group_by: [alert_id]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                inhibit_rules:
                  - source_matchers: [alertname="TwinstreamSiteOutage"]
                    target_matchers: [alertname=~"TwinstreamAsset.*"]
                    equal: [site]
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: true
                """.formatted(webhook.getAddress().getPort()));
        log = dir.resolve("alertmanager.log");
        process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        url = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Alertmanager did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The alerts Alertmanager holds as active (not resolved). */
    List<JsonNode> activeAlerts() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts?active=true"))
                .build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(r.body()).forEach(out::add);
        return out;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        webhook.stop(0);
    }
}
