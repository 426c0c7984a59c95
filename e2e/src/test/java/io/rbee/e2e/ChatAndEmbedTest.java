package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.Embeddings;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.testkit.daemons.Daemon;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chats and embeddings through a real queen, hive and llama.cpp worker with the demo model
 * (which carries a ChatML chat template): the queen places them like any {@code Infer}, and
 * the worker's {@code result} reaches the queen's job.
 */
class ChatAndEmbedTest {
  @TempDir static Path home;
  static Daemon queen;
  static JobClient client;

  @BeforeAll
  static void start() throws Exception {
    queen = DemoCluster.start(home).queen();
    client = queen.client();
  }

  @AfterAll
  static void stop() {
    queen.close();
  }

  @Test
  void embedSubmittedToTheQueenReturnsTheWorkersVectors() throws Exception {
    // the wire form, as any HTTP client sends it
    Map<String, Object> body = Map.of("operation", Map.of("Embed", Map.of("model", "demo",
        "input", List.of("the river", "über die straße", "the river"))));
    Submitted submitted = client.post(client.url("v1", "jobs"), body, Submitted.class);

    JobRun run = JobRun.follow(client, submitted);

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.actions("worker")).contains("embed_start", "embed_done");
    Embeddings result = JobRunResults.lastResult(run, Embeddings.class);
    assertThat(result.model()).isEqualTo("demo");
    assertThat(result.dimensions()).isEqualTo(64); // the demo model's embedding_length
    assertThat(result.vectors()).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(64));
    assertThat(result.vectors().get(0)).isEqualTo(result.vectors().get(2))
        .isNotEqualTo(result.vectors().get(1));
    assertThat(result.tokensIn()).isGreaterThan(3);
  }

  @Test
  void chatThroughTheQueenAnswersAsTheRawPromptItsTemplateMakes() throws Exception {
    List<ChatMessage> messages = List.of(new ChatMessage("system", "tell a story"),
        new ChatMessage("user", "once upon a time"));
    String templated = "<|im_start|>system\ntell a story<|im_end|>\n"
        + "<|im_start|>user\nonce upon a time<|im_end|>\n<|im_start|>assistant\n";

    JobRun chat = JobRun.of(client, new Operation.Infer(null, "demo", null, 24, 0.0, null, null,
        null, List.of(), messages, null));
    JobRun raw = JobRun.of(client, new Operation.Infer(null, "demo", templated, 24, 0.0, null,
        null, null, List.of()));

    assertThat(chat.done().status()).as(chat.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(chat.narration()).filteredOn(n -> "infer_start".equals(n.action()))
        .singleElement().satisfies(n -> assertThat(n.human())
            .contains("from a chat of 2 message(s)", "by the model's chat template"));
    assertThat(chat.text()).isNotBlank().isEqualTo(raw.text());
    assertThat(chat.done().stats()).containsEntry("tokens_out", 24)
        .containsEntry("tokens_in", raw.done().stats().get("tokens_in"));
  }

  @Test
  void embedWithNoInputIsRefusedByTheQueen() {
    Map<String, Object> body = Map.of("operation", Map.of("Embed", Map.of("model", "demo",
        "input", List.of())));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.post(client.url("v1", "jobs"), body, Submitted.class))
        .isInstanceOfSatisfying(JobClientException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("invalid_operation");
        });
  }
}
