package io.rbee.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.Done;
import io.rbee.jobs.Embeddings;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.narration.Json;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.models.TinyModels;
import io.rbee.testkit.sse.SseRecorder;
import io.rbee.worker.inference.LlamaEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerServerTest {
  @TempDir Path dir;
  WorkerServer server;
  JobClient client;

  @BeforeEach
  void start() {
    AccessToken token = AccessToken.generate("this test");
    server = new WorkerServer("worker-t", "tiny", "cpu", token).start("127.0.0.1", 0);
    client = new JobClient(server.baseUrl(), token);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Operation.Infer infer(int maxTokens) {
    return new Operation.Infer(null, "tiny", "the cat sat", maxTokens, 0.0, null, null, null,
        null);
  }

  JsonNode health(int expectedStatus) throws Exception {
    try (Response r = new OkHttpClient().newCall(
        new Request.Builder().url(server.baseUrl() + "/health").build()).execute()) {
      assertThat(r.code()).isEqualTo(expectedStatus);
      return Json.MAPPER.readTree(r.body().string());
    }
  }

  @Test
  void healthSaysLoadingUntilTheModelIsReady() throws Exception {
    JsonNode loading = health(503);
    assertThat(loading.get("status").asText()).isEqualTo("loading");
    assertThat(loading.get("worker_id").asText()).isEqualTo("worker-t");
    assertThat(loading.get("model").asText()).isEqualTo("tiny");
    assertThat(loading.get("device").asText()).isEqualTo("cpu");

    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));

    assertThat(health(200).get("status").asText()).isEqualTo("ready");
  }

  @Test
  void healthTellsIdlenessAndTheKeepAliveOfTheLatestRequestThatHadOne() throws Exception {
    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));
    JsonNode fresh = health(200);
    assertThat(fresh.get("keep_alive_ms").asLong()).isEqualTo(300_000); // the 5m default
    assertThat(fresh.get("idle_ms").asLong()).isNotNegative();
    Operation.Infer endless = new Operation.Infer(null, "tiny", "the cat", 32_768, 0.8, null,
        null, 1L, null).withKeepAlive("-1");

    Submitted job = client.submit(endless);
    try (SseRecorder rec = SseRecorder.follow(client, job.jobId())) {
      rec.awaitEvent("token");
      JsonNode busy = health(200);
      assertThat(busy.get("busy").asBoolean()).isTrue();
      assertThat(busy.get("idle_ms").asLong()).isZero();
      assertThat(busy.get("keep_alive_ms").asLong()).isEqualTo(-1);
      client.cancel(job.jobId());
      rec.assertDone(JobStatus.CANCELLED);
    }

    // idle from the job's end on; the request's keep-alive stays
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> health(200).get("idle_ms").asLong() > 0);
    assertThat(health(200).get("keep_alive_ms").asLong()).isEqualTo(-1);
  }

  @Test
  void inferWhileLoadingFailsWithASayableReason() throws Exception {
    Submitted job = client.submit(infer(4));
    try (SseRecorder rec = SseRecorder.follow(client, job.jobId())) {
      Done done = rec.assertDone(JobStatus.FAILED);
      assertThat(done.error()).contains("still loading");
    }
  }

  @Test
  void inferStreamsTokensThenDoneWithStats() throws Exception {
    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));
    Submitted job = client.submit(infer(6));

    try (SseRecorder rec = SseRecorder.follow(client, job.jobId())) {
      Narration start = rec.assertNarration("infer_start");
      assertThat(start.human()).startsWith("Generating up to 6 tokens from a ");
      assertThat(start.workerId()).isEqualTo("worker-t");
      List<SseEvent> events = rec.takeUntilDone();
      List<String> tokens = new ArrayList<>();
      for (SseEvent e : events) {
        if (e.event().equals("token")) {
          tokens.add(Json.MAPPER.readTree(e.data()).get("text").asText());
        }
      }
      assertThat(tokens).isNotEmpty().hasSizeLessThanOrEqualTo(6);
      assertThat(events).anySatisfy(e -> assertThat(e.data()).contains("\"infer_done\""));
      Done done = Json.MAPPER.readValue(events.get(events.size() - 1).data(), Done.class);
      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(done.stats()).containsEntry("tokens_out", 6)
          .containsEntry("stop_reason", "max_tokens").containsKeys("tokens_in", "duration_ms",
              "tokens_per_second");
    }
  }

  @Test
  void cancelStopsAGenerationAndFullQueueIsRefused() throws Exception {
    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));
    // one long generation runs, eight wait, the tenth is refused
    Operation.Infer endless = new Operation.Infer(null, "tiny", "the cat", 32_768, 0.8, null,
        null, 1L, null);
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 1 + WorkerServer.QUEUE_CAPACITY; i++) {
      jobs.add(client.submit(endless).jobId());
    }
    assertThatThrownBy(() -> client.submit(endless))
        .isInstanceOfSatisfying(JobClientException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.code()).isEqualTo("queue_full");
        });

    try (SseRecorder rec = SseRecorder.follow(client, jobs.get(0))) {
      rec.awaitEvent("token");
      client.cancel(jobs.get(0));
      Done done = rec.assertDone(JobStatus.CANCELLED);
      assertThat(done.stats()).containsEntry("stop_reason", "cancelled");
    }
    for (String id : jobs.subList(1, jobs.size())) {
      client.cancel(id);
    }
  }

  @Test
  void chatInferSaysWhichTemplateMadeItsPrompt() throws Exception {
    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));
    Operation.Infer chat = new Operation.Infer(null, "tiny", null, 4, 0.0, null, null, null,
        null, List.of(new ChatMessage("system", "be brief"), new ChatMessage("user", "hi")),
        null);

    try (SseRecorder rec = SseRecorder.follow(client, client.submit(chat).jobId())) {
      Narration start = rec.assertNarration("infer_start");
      assertThat(start.human()).startsWith("Generating up to 4 tokens from a chat of 2"
          + " message(s) (").contains(" tokens, by the model's chat template)");
      assertThat(rec.assertDone(JobStatus.SUCCEEDED).stats()).containsEntry("tokens_out", 4);
    }
  }

  @Test
  void chatOnAModelWithoutATemplateSaysItFellBack() throws Exception {
    server.ready(LlamaEngine.load(TinyModels.withoutChatTemplate(dir, 2), "cpu", null, 1));
    Operation.Infer chat = new Operation.Infer(null, "tiny", null, 2, 0.0, null, null, null,
        null, List.of(new ChatMessage("user", "hi")), null);

    try (SseRecorder rec = SseRecorder.follow(client, client.submit(chat).jobId())) {
      assertThat(rec.assertNarration("infer_start").human())
          .contains("by ChatML, llama.cpp's fallback: the model has none");
      rec.assertDone(JobStatus.SUCCEEDED);
    }
  }

  @Test
  void embedReturnsOneVectorPerInputAsTheJobResult() throws Exception {
    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));
    Operation.Embed embed = new Operation.Embed(null, "tiny",
        List.of("the cat sat", "a dog ran", "the cat sat"), null);

    try (SseRecorder rec = SseRecorder.follow(client, client.submit(embed).jobId())) {
      assertThat(rec.assertNarration("embed_start").human())
          .isEqualTo("Embedding 3 input(s) into 16-dimensional vectors");
      Embeddings result = Json.read(rec.assertEvent(JobEvent.RESULT).data(), Embeddings.class);
      assertThat(rec.assertNarration("embed_done").human()).startsWith("Embedded 3 of 3 input(s) (");
      Done done = rec.assertDone(JobStatus.SUCCEEDED);

      assertThat(result.model()).isEqualTo("tiny");
      assertThat(result.dimensions()).isEqualTo(16);
      assertThat(result.vectors()).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(16));
      assertThat(result.vectors().get(0)).isEqualTo(result.vectors().get(2))
          .isNotEqualTo(result.vectors().get(1));
      assertThat(result.tokensIn()).isGreaterThan(3);
      assertThat(done.stats()).containsEntry("tokens_in", result.tokensIn());
    }
  }

  @Test
  void embedWithoutInputIsRefusedBeforeAnyJob() {
    server.ready(LlamaEngine.load(TinyModels.tiny(dir, 2), "cpu", null, 1));

    assertThatThrownBy(() -> client.submit(new Operation.Embed(null, "tiny", List.of(), null)))
        .isInstanceOfSatisfying(JobClientException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("invalid_operation");
          assertThat(e.getMessage()).contains("input must hold at least one string");
        });
  }

  @Test
  void aChatTheTemplateRefusesFailsItsJobAndTheWorkerServesTheNext() throws Exception {
    String refusing = "{% if messages[0]['role'] == 'assistant' %}"
        + "{{ raise_exception('a chat starts with the user') }}{% endif %}"
        + io.rbee.gguf.TinyLlama.CHATML_TEMPLATE;
    server.ready(LlamaEngine.load(TinyModels.withChatTemplate(dir, 2, "refusing", refusing),
        "cpu", null, 1));
    Operation.Infer bad = new Operation.Infer(null, "tiny", null, 2, 0.0, null, null, null,
        null, List.of(new ChatMessage("assistant", "hello")), null);

    try (SseRecorder rec = SseRecorder.follow(client, client.submit(bad).jobId())) {
      Done done = rec.assertDone(JobStatus.FAILED);
      assertThat(done.errorKind()).isEqualTo("chat_template_failed");
      assertThat(done.error()).contains("a chat starts with the user");
    }
    try (SseRecorder rec = SseRecorder.follow(client, client.submit(infer(2)).jobId())) {
      rec.assertDone(JobStatus.SUCCEEDED);
    }
  }
}
