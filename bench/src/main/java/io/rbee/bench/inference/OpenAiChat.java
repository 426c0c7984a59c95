package io.rbee.bench.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToIntFunction;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One streamed chat through the queen's {@code POST /v1/chat/completions}, timed as an OpenAI
 * client sees it: start is the request, first and last token the arrivals of the first and
 * last chunks with text, end the arrival of {@code data: [DONE]}. The token count is the
 * answer's {@code usage.completion_tokens} ({@code stream_options.include_usage}). One client
 * (kept-alive connections) for all requests; thread-safe.
 *
 * <p>The client is OkHttp, the HTTP client of OpenAI's own Java SDK (and of rbee's
 * {@code JobClient}, which the job API mode uses): what a Java OpenAI client pays. The JDK's
 * {@code HttpClient}, measured beside it in the ninth session, added 0.6–1.2 ms more to every
 * first token on this 2-core machine (its selector thread and executor are two more hand-offs).
 */
public final class OpenAiChat {
  private static final MediaType JSON = MediaType.get("application/json");

  // no read or call timeout: a benchmark's slow answer is a result, not an error
  private final OkHttpClient http = new OkHttpClient.Builder()
      .readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build();
  private final String url;
  private final String token;

  private final JobClient jobs;

  /** A client of the queen at {@code queenUrl}; {@code jobs} replays each answer's job. */
  public OpenAiChat(String queenUrl, String token, JobClient jobs) {
    this.url = queenUrl + "/v1/chat/completions";
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
    Request request = new Request.Builder().url(url)
        .header("Authorization", "Bearer " + token)
        .post(RequestBody.create(body, JSON)).build();
    StringBuilder text = new StringBuilder();
    String firstText = null;
    long first = 0;
    long last = 0;
    int tokens = -1;
    Instant startWall = Instant.now();
    long start = System.nanoTime();
    String jobId;
    try (Response r = http.newCall(request).execute();
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body().byteStream(),
            StandardCharsets.UTF_8))) {
      if (r.code() != 200) {
        throw new IllegalStateException("chat answered " + r.code() + ": " + r.body().string());
      }
      jobId = r.header(Submitted.JOB_ID_HEADER);
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
    if (jobId == null) {
      throw new IllegalStateException("chat answered without " + Submitted.JOB_ID_HEADER);
    }
    jobs.follow(jobId, 0, e -> {
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
