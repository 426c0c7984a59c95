package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.ChatMessage;
import io.rbee.keeper.queen.ChatAnswer;
import io.rbee.keeper.queen.ChatCall;
import io.rbee.keeper.queen.ChatListener;
import io.rbee.keeper.queen.ChatRequest;
import io.rbee.keeper.queen.HttpQueenApi;
import io.rbee.keeper.queen.QueenToken;
import io.rbee.narration.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbee chat} over real HTTP against a stand-in queen that speaks the queen's streamed
 * chat exactly (role chunk, keep-alive comments, content deltas, finish and usage chunks,
 * {@code data: [DONE]}; {@code data: {"error"...}} mid-stream; OpenAI error bodies).
 */
class ChatTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  @TempDir Path home;

  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger jobs = new AtomicInteger();
  private final CountDownLatch clientWentAway = new CountDownLatch(1);
  private DaemonHttp http;

  @BeforeEach
  void startQueen() {
    http = new DaemonHttp("queen", TOKEN, cfg -> {
      cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
      cfg.routes.post("/v1/chat/completions", ctx -> {
        JsonNode body = Json.MAPPER.readTree(ctx.body());
        requests.add(body);
        String model = body.path("model").asText();
        if (model.equals("nope")) {
          throw new ApiException(404, "model_not_found", "The model `nope` does not exist in"
              + " this cluster").param("model");
        }
        if (model.equals("busy")) {
          throw new ApiException(429, "queue_full", "the queue of demo is full");
        }
        String jobId = "job-" + jobs.incrementAndGet();
        ctx.header("X-Rbee-Job-Id", jobId);
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        OutputStream out = ctx.res().getOutputStream();
        data(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
        int messages = body.path("messages").size();
        if (model.equals("endless")) {
          try {
            while (true) { // as the queen does: a failed write is the client gone away
              data(out, chunk("{\"content\":\"more \"}", null));
              out.flush();
              Thread.sleep(5);
            }
          } catch (IOException e) {
            clientWentAway.countDown();
          }
          return;
        }
        if (model.equals("flaky") && jobs.get() == 1) {
          data(out, chunk("{\"content\":\"Half\"}", null));
          data(out, "{\"error\":{\"code\":\"worker_lost\",\"message\":\"worker w-1 went away"
              + " (job " + jobId + ")\",\"type\":\"server_error\",\"param\":null}}");
          return;
        }
        data(out, chunk("{\"content\":\"Answer \"}", null));
        out.flush();
        data(out, chunk("{\"content\":\"to " + messages + " messages\"}", null));
        data(out, chunk("{}", "\"stop\""));
        data(out, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":" + (10 * messages) + ",\"completion_tokens\":4,"
            + "\"total_tokens\":" + (10 * messages + 4) + "}}");
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
      });
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stopQueen() {
    http.stop();
  }

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"demo\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}],\"usage\":null}";
  }

  private static void data(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  private Cli.Result chat(String stdin, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--queen-url";
    all[1] = http.baseUrl();
    all[2] = "chat";
    System.arraycopy(args, 0, all, 3, args.length);
    QueenToken token = new QueenToken(home, Map.of(TokenFile.ENV, TOKEN.value()));
    return new Cli().queens(url -> new HttpQueenApi(url, token)).env("RBEE_NO_AUTOSTART", "1")
        .stdin(stdin).run(all);
  }

  @Test
  void eachLineIsATurnSentWithTheWholeConversation() {
    Cli.Result r = chat("Hello\n\nAnd now?\n", "--model", "demo", "--system", "Be brief.",
        "--max-tokens", "64", "--temperature", "0", "--seed", "7", "--keep-alive", "10m");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Answer to 2 messages\nAnswer to 4 messages\n");
    assertThat(requests).hasSize(2); // the empty line sent nothing
    JsonNode second = requests.get(1);
    assertThat(second.path("messages").toString()).isEqualTo("[{\"role\":\"system\","
        + "\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello\"},{\"role\":"
        + "\"assistant\",\"content\":\"Answer to 2 messages\"},{\"role\":\"user\",\"content\":"
        + "\"And now?\"}]");
    assertThat(second.path("stream").asBoolean()).isTrue();
    assertThat(second.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(second.path("temperature").asDouble()).isZero();
    assertThat(second.path("seed").asLong()).isEqualTo(7);
    assertThat(second.path("keep_alive").asText()).isEqualTo("10m");
    assertThat(r.errLines()).containsExactly(
        "[keeper    ] chat_job           Job job-1 answers; `rbee jobs follow job-1` shows how",
        "[keeper    ] chat_job           Job job-2 answers; `rbee jobs follow job-2` shows how");
  }

  @Test
  void optionsLeftOutAreLeftOutOfTheRequest() {
    Cli.Result r = chat("Hi\n", "--model", "demo");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(requests.get(0).toString()).isEqualTo("{\"model\":\"demo\",\"messages\":[{\"role\""
        + ":\"user\",\"content\":\"Hi\"}],\"stream\":true,\"stream_options\":{\"include_usage\""
        + ":true}}");
  }

  @Test
  void verboseAddsTheTokenCountsOfEachAnswer() {
    Cli.Result r = chat("Hi\n", "--model", "demo", "--verbose");

    assertThat(r.lastErrLine()).isEqualTo("[keeper    ] chat_done          4 tokens from a"
        + " 10-token prompt (2 messages now), finish: stop");
  }

  @Test
  void anUnknownModelEndsTheChatWithTheQueensMessageAndExitOne() {
    Cli.Result r = chat("Hi\nAgain\n", "--model", "nope");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("error: not found on queen at " + http.baseUrl()
        + ": The model `nope` does not exist in this cluster");
    assertThat(r.out()).isEmpty();
    assertThat(requests).hasSize(1);
  }

  @Test
  void aWrongTokenEndsTheChatWithExitSeven() {
    QueenToken wrong = new QueenToken(home, Map.of(TokenFile.ENV, "rbee_" + "n".repeat(43)));
    Cli.Result r = new Cli().queens(url -> new HttpQueenApi(url, wrong))
        .env("RBEE_NO_AUTOSTART", "1").stdin("Hi\n")
        .run("--queen-url", http.baseUrl(), "chat", "--model", "demo");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
    assertThat(r.lastErrLine()).contains("refused the token from RBEE_TOKEN");
  }

  @Test
  void aTurnThatFailsIsDroppedAndTheChatGoesOnEndingWithExitOne() {
    Cli.Result r = chat("First\nSecond\n", "--model", "flaky");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("Half\nAnswer to 1 messages\n");
    assertThat(r.err()).contains("error: failed on queen at " + http.baseUrl()
        + ": worker w-1 went away (job job-1)");
    // the failed turn is not in the conversation the next one carries
    assertThat(requests.get(1).path("messages").toString())
        .isEqualTo("[{\"role\":\"user\",\"content\":\"Second\"}]");
  }

  @Test
  void aFullQueueFailsTheTurnNotTheChat() {
    Cli.Result r = chat("One\nTwo\n", "--model", "busy");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(requests).hasSize(2);
    assertThat(r.errLines()).hasSize(2).allSatisfy(l -> assertThat(l)
        .isEqualTo("error: rejected by queen at " + http.baseUrl()
            + ": the queue of demo is full"));
  }

  @Test
  void badOptionsAreUsageErrorsBeforeAnyRequest() {
    Cli.Result tokens = chat("Hi\n", "--model", "demo", "--max-tokens", "0");
    Cli.Result keepAlive = chat("Hi\n", "--model", "demo", "--keep-alive", "soon");
    Cli.Result json = chat("Hi\n", "--json", "--model", "demo");

    assertThat(tokens.exitCode()).isEqualTo(2);
    assertThat(tokens.err()).contains("max_tokens must be 1..32768, got 0");
    assertThat(keepAlive.exitCode()).isEqualTo(2);
    assertThat(keepAlive.err()).contains("soon");
    assertThat(json.exitCode()).isEqualTo(2);
    assertThat(json.err()).contains("not --json");
    assertThat(requests).isEmpty();
  }

  @Test
  void noInputIsAChatOfNoTurns() {
    Cli.Result r = chat("", "--model", "demo");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(requests).isEmpty();
  }

  @Test
  void cancellingACallClosesTheConnectionAndKeepsWhatCame() throws Exception {
    QueenToken token = new QueenToken(home, Map.of(TokenFile.ENV, TOKEN.value()));
    ChatCall call = new HttpQueenApi(http.baseUrl(), token).chat(new ChatRequest("endless",
        List.of(new ChatMessage("user", "Go")), null, null, null, null));
    CountDownLatch texted = new CountDownLatch(2); // two pieces: what the answer keeps
    List<String> started = new CopyOnWriteArrayList<>();
    CompletableFuture<ChatAnswer> answer = CompletableFuture.supplyAsync(() -> {
      try {
        return call.execute(new ChatListener() {
          @Override
          public void started(String jobId) {
            started.add(jobId);
          }

          @Override
          public void text(String piece) {
            texted.countDown();
          }
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(texted.await(10, TimeUnit.SECONDS)).isTrue();

    call.cancel();

    ChatAnswer stopped = answer.get(10, TimeUnit.SECONDS);
    assertThat(stopped.stopped()).isTrue();
    assertThat(stopped.jobId()).isEqualTo("job-1");
    assertThat(stopped.text()).startsWith("more more ");
    assertThat(started).containsExactly("job-1");
    assertThat(clientWentAway.await(10, TimeUnit.SECONDS)).as("the queen saw the client go")
        .isTrue();
  }
}
