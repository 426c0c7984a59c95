package io.rbee.hive.workers;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.narration.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a worker's {@code GET /health} whether it is ready. The worker answers 503
 * {@code {"status":"loading"}} while it loads its model and 200 {@code {"status":"ready"}}
 * after; its {@code worker_id} tells our worker from a stranger that took the port.
 *
 * <p>Thread-safe; one instance per hive.
 */
final class HealthProbe {
  enum Health {
    /** Nothing answers (yet), or an error. */
    DOWN,
    /** Our worker answers, still loading. */
    LOADING,
    /** Our worker answers ready. */
    READY,
    /** Something else answers on that port. */
    STRANGER
  }

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  /** A probe of workers bound to {@code host} ({@code 127.0.0.1}, or the hive's address). */
  HealthProbe(String host) {
    this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":";
  }

  /** Probes {@code http://<host>:<port>/health}; never throws except on interrupt. */
  Health check(int port, String workerId) throws InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + port + "/health"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Health.DOWN;
    }
    String answeringId = workerIdOf(resp.body());
    if (answeringId != null && !answeringId.equals(workerId)) {
      return Health.STRANGER;
    }
    return resp.statusCode() == 200 ? Health.READY : Health.LOADING;
  }

  /**
   * What a ready worker's {@code /health} says of its load: {@code busy}, {@code queue_depth},
   * and its {@code idle_ms} and {@code keep_alive_ms} (null from a worker that does not say).
   */
  record Load(boolean busy, int queueDepth, Long idleMs, Long keepAliveMs) {
    Load(boolean busy, int queueDepth) {
      this(busy, queueDepth, null, null);
    }
  }

  /**
   * The load a ready worker reports on {@code /health} ({@code busy}, {@code queue_depth},
   * {@code idle_ms}, {@code keep_alive_ms}); null when it does not answer 200 with the first
   * two. Never throws except on interrupt.
   */
  Load load(int port) throws InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + port + "/health"))
            .timeout(Duration.ofSeconds(1))
            .GET()
            .build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        return null;
      }
      JsonNode node = Json.MAPPER.readTree(resp.body());
      JsonNode busy = node == null ? null : node.get("busy");
      JsonNode depth = node == null ? null : node.get("queue_depth");
      if (busy == null || depth == null) {
        return null;
      }
      return new Load(busy.asBoolean(), depth.asInt(), longOrNull(node.get("idle_ms")),
          longOrNull(node.get("keep_alive_ms")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || !n.isIntegralNumber() ? null : n.asLong();
  }

  private static String workerIdOf(String body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      JsonNode id = node == null ? null : node.get("worker_id");
      return id == null || id.isNull() ? null : id.asText();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
