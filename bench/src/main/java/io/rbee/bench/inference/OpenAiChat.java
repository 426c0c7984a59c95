package io.rbee.bench.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToIntFunction;

/**
 * One streamed chat through the queen's {@code POST /v1/chat/completions}, timed as an OpenAI
 * client sees it: start is the request, first and last token the arrivals of the first and
 * last chunks with text, end the arrival of {@code data: [DONE]}. The token count is the
 * answer's {@code usage.completion_tokens} ({@code stream_options.include_usage}). One client
 * (kept-alive connections) for all requests; thread-safe.
 */
public final class OpenAiChat {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private final URI uri;
  private final String token;

  private final JobClient jobs;

  /** A client of the queen at {@code queenUrl}; {@code jobs} replays each answer's job. */
  public OpenAiChat(String queenUrl, String token, JobClient jobs) {
    this.uri = URI.create(queenUrl + "/v1/chat/completions");
    this.token = token;
    this.jobs = jobs;
  }

  /**
   * Streams a greedy answer of {@code maxTokens} to {@code messagesJson} (a JSON list of
   * messages) from {@code model}; {@code tokensIn} tells how many tokens the first chunk's
   * text holds.
   */
  public Generation run(String model, String messagesJson, int maxTokens,
      ToIntFunction<String> tokensIn) throws Exception {
    String body = "{\"model\": " + Json.write(model) + ", \"messages\": " + messagesJson
        + ", \"max_tokens\": " + maxTokens + ", \"temperature\": 0, \"seed\": 1,"
        + " \"stream\": true, \"stream_options\": {\"include_usage\": true}}";
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    StringBuilder text = new StringBuilder();
    String firstText = null;
    long first = 0;
    long last = 0;
    int tokens = -1;
    Instant startWall = Instant.now();
    long start = System.nanoTime();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("chat answered " + r.statusCode() + ": "
          + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        String data = line.substring(6);
        if (data.equals("[DONE]")) {
          break;
        }
        long now = System.nanoTime();
        JsonNode chunk = Json.MAPPER.readTree(data);
        if (chunk.has("error")) {
          throw new IllegalStateException("chat failed: " + data);
        }
        String piece = chunk.at("/choices/0/delta/content").asText("");
        if (!piece.isEmpty()) {
          if (first == 0) {
            first = now;
            firstText = piece;
          }
          last = now;
          text.append(piece);
        }
        if (chunk.path("usage").has("completion_tokens")) {
          tokens = chunk.path("usage").path("completion_tokens").asInt();
        }
      }
    }
    long end = System.nanoTime();
    if (first == 0 || tokens < 1) {
      throw new IllegalStateException("chat streamed no text or no usage");
    }
    // the milestones, from the job's narration (replayed after the answer: off the clock)
    Instant[] routed = {null};
    Instant[] workerStart = {null};
    jobs.follow(r.headers().firstValue(Submitted.JOB_ID_HEADER).orElseThrow(), 0, e -> {
      if (JobEvent.NARRATION.equals(e.event())) {
        Narration n = Json.read(e.data(), Narration.class);
        if ("infer_route".equals(n.action())) {
          routed[0] = Instant.parse(n.timestamp());
        } else if ("infer_start".equals(n.action())) {
          workerStart[0] = Instant.parse(n.timestamp());
        }
      }
    });
    return new Generation(tokens, start, first, last, end, text.toString(),
        msAfter(startWall, routed[0]), msAfter(startWall, workerStart[0]),
        tokensIn.applyAsInt(firstText));
  }

  private static double msAfter(Instant start, Instant at) {
    return at == null ? Double.NaN : Duration.between(start, at).toNanos() / 1e6;
  }
}
