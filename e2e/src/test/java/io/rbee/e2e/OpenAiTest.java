package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.rbee.gguf.GgufFile;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queen's OpenAI-compatible API driven by the official OpenAI Java SDK, against a real
 * queen, hive and llama.cpp worker on the demo model (which carries a ChatML chat template).
 */
class OpenAiTest {
  static final String MODEL = "demo";
  @TempDir static Path home;
  static Daemon queen;
  static JobClient jobs;
  static OpenAIClient openAi;
  static ModelInfo model;

  @BeforeAll
  static void start() throws Exception {
    DemoCluster cluster = DemoCluster.start(home);
    queen = cluster.queen();
    jobs = queen.client();
    model = cluster.demo();
    openAi = client(queen.token().value());
  }

  @AfterAll
  static void stop() {
    if (openAi != null) {
      openAi.close();
    }
    queen.close();
  }

  static OpenAIClient client(String apiKey) {
    return OpenAIOkHttpClient.builder().baseUrl(queen.url() + "/v1").apiKey(apiKey)
        .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
  }

  static ChatCompletionCreateParams chat(int maxTokens) {
    return ChatCompletionCreateParams.builder().model(MODEL)
        .addSystemMessage("You tell short stories.")
        .addUserMessage("Once upon a time")
        .maxCompletionTokens(maxTokens).temperature(0.0).build();
  }

  @Test
  void modelsListWhatTheHivesHave() {
    List<Model> models = openAi.models().list().data();

    assertThat(models).extracting(Model::id).containsExactly(MODEL);
    assertThat(openAi.models().retrieve(MODEL).ownedBy()).isEqualTo("rbee");
    assertThatThrownBy(() -> openAi.models().retrieve("no-such-model"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
  }

  @Test
  void aChatStreamedReassemblesToTheWholeAnswer() {
    ChatCompletion whole = openAi.chat().completions().create(chat(24));
    String text = whole.choices().get(0).message().content().orElseThrow();

    StringBuilder streamed = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    ChatCompletionCreateParams params = chat(24).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> s =
        openAi.chat().completions().createStreaming(params)) {
      s.stream().forEach(c -> {
        chunks.add(c);
        c.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
      });
    }

    assertThat(text).isNotBlank();
    assertThat(streamed.toString()).isEqualTo(text);
    assertThat(whole.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(24);
    assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().totalTokens())
        .isEqualTo(whole.usage().orElseThrow().totalTokens());
    assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason()).isPresent();
  }

  @Test
  void aCompletionIsWhatLlamaCppProducesDirectly() throws Exception {
    Completion c = openAi.completions().create(CompletionCreateParams.builder().model(MODEL)
        .prompt("Once upon a time").maxTokens(16).temperature(0.0).build());

    String direct = LlamaDirect.complete(Path.of(model.path()), new Operation.Infer(null,
        MODEL, "Once upon a time", 16, 0.0, null, null, null, null));
    assertThat(c.choices().get(0).text()).isEqualTo(direct);
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(16);
  }

  @Test
  void embeddingsHaveTheModelsEmbeddingSize() throws Exception {
    long size = ((Number) GgufFile.read(Path.of(model.path())).metadata()
        .get("llama.embedding_length")).longValue();

    CreateEmbeddingResponse r = openAi.embeddings().create(EmbeddingCreateParams.builder()
        .model(MODEL).inputOfArrayOfStrings(List.of("the cat", "the dog")).build());

    assertThat(r.data()).hasSize(2);
    assertThat(r.data().get(0).embedding()).hasSize((int) size);
    assertThat(r.data().get(0).embedding()).isNotEqualTo(r.data().get(1).embedding());
    assertThat(r.usage().promptTokens()).isPositive();
  }

  @Test
  void anUnknownModelAndABadFieldAreTheSdksOwnErrors() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat(4).toBuilder()
        .model("no-such-model").build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("rbee model download");
    assertThatThrownBy(() -> openAi.chat().completions().create(chat(4).toBuilder().n(2)
        .build()))
        .isInstanceOf(BadRequestException.class)
        .satisfies(e -> assertThat(((BadRequestException) e).param()).hasValue("n"));
  }

  @Test
  void aMissingOrWrongTokenIsTheSdksAuthError() {
    OpenAIClient wrong = client("rbee_not-this-installations-token");
    try {
      assertThatThrownBy(() -> wrong.models().list())
          .isInstanceOf(UnauthorizedException.class);
    } finally {
      wrong.close();
    }
  }

  @Test
  void theAnswerNamesItsJobWhoseStreamTellsTheStory() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\": \"demo\","
        + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 4}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String jobId = r.headers().firstValue("X-Rbee-Job-Id").orElseThrow();

    JobRun run = JobRun.follow(jobs, new io.rbee.jobs.Submitted(jobId,
        "/v1/jobs/" + jobId + "/stream"));
    assertThat(run.done().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.actions("queen")).contains("infer_route");
    assertThat(run.text()).isEqualTo(Json.MAPPER.readTree(r.body())
        .at("/choices/0/message/content").asText());
  }

  @Test
  void aClientThatGoesAwayMidStreamCancelsTheGeneration() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(queen.url() + "/v1/completions"))
        .header("Authorization", "Bearer " + queen.token().value())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"demo\", \"prompt\": \"Once\","
            + " \"max_tokens\": 30000, \"stream\": true}")).build();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> r = http.send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    String jobId = r.headers().firstValue("X-Rbee-Job-Id").orElseThrow();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
        StandardCharsets.UTF_8))) {
      int chunks = 0;
      while (chunks < 3) {
        String line = in.readLine();
        assertThat(line).as("the stream ended early").isNotNull();
        if (line.startsWith("data: {")) {
          chunks++;
        }
      }
    } // closing the body before its end drops the connection
    http.close();

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        jobs.status(jobId).status().isFinal());
    JobInfo info = jobs.status(jobId);
    assertThat(info.status()).isEqualTo(JobStatus.CANCELLED);
    // cancelled by the OpenAI route when its write failed, not abandoned later for want of
    // a follower (that the worker then stops is InferenceTest's cancellation test)
    assertThat(info.error()).isEqualTo("cancelled by request");
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(queen.url() + path))
          .header("Authorization", "Bearer " + queen.token().value())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
