package io.rbee.keeper.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.keeper.output.Output;
import io.rbee.keeper.queen.ChatAnswer;
import io.rbee.keeper.queen.ChatCall;
import io.rbee.keeper.queen.ChatListener;
import io.rbee.keeper.queen.ChatRequest;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ctrl-C in a chat: what it stops, what the conversation keeps, and leaving at the prompt. */
class ChatSessionTest {
  private final PipedOutputStream typed = new PipedOutputStream();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ChatQueen queen = new ChatQueen();
  private CompletableFuture<Integer> running;
  private ChatSession session;

  @AfterEach
  void end() throws IOException {
    typed.close();
  }

  private void start() throws IOException {
    ChatInput input = ChatInput.reading(new PipedInputStream(typed));
    Output output = new Output(new PrintWriter(out, true), new PrintWriter(err, true), false,
        false);
    session = new ChatSession(queen, output, new ChatSession.Settings("demo", null, null, null,
        null, null, false, false), input);
    running = CompletableFuture.supplyAsync(() -> {
      try {
        return session.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private void type(String line) throws IOException {
    typed.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    typed.flush();
  }

  @Test
  void ctrlCStopsTheAnswerKeepsWhatCameAndTheNextTurnCarriesIt() throws Exception {
    start();
    type("Tell me a story");
    StreamingCall first = queen.awaitCall(0);
    first.awaitText();

    session.interrupt();

    assertThat(first.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    type("Go on");
    queen.awaitCall(1).finish();
    typed.close();
    assertThat(running.get(5, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).isEqualTo("Once upon\nOnce upon a time\n");
    assertThat(err.toString()).contains("chat_stopped", "Stopped (job job-1); the answer so far"
        + " stays in the conversation");
    assertThat(queen.requests.get(1).messages()).containsExactly(
        new ChatMessage("user", "Tell me a story"), new ChatMessage("assistant", "Once upon"),
        new ChatMessage("user", "Go on"));
  }

  @Test
  void ctrlCBeforeAnyTextDropsTheQuestion() throws Exception {
    queen.silent = true;
    start();
    type("Tell me a story");
    StreamingCall first = queen.awaitCall(0);

    session.interrupt();

    assertThat(first.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    Awaitility.await().until(() -> err.toString().contains("chat_stopped"));
    assertThat(err.toString()).contains("the question is dropped from the conversation");
    assertThat(session.history()).isEmpty();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void ctrlCAtThePromptLeaves() throws Exception {
    start();
    type("Hi");
    queen.awaitCall(0).finish();
    Awaitility.await().until(() -> out.toString().endsWith("\n"));

    session.interrupt();

    assertThat(running.get(5, TimeUnit.SECONDS)).isZero();
    assertThat(queen.requests).hasSize(1);
  }

  /** A call that streams a piece, then waits to be finished or cancelled. */
  static final class StreamingCall implements ChatCall {
    final CountDownLatch cancelled = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch texted = new CountDownLatch(1);
    private final String jobId;
    private final boolean silent;

    StreamingCall(String jobId, boolean silent) {
      this.jobId = jobId;
      this.silent = silent;
    }

    @Override
    public ChatAnswer execute(ChatListener listener) {
      listener.started(jobId);
      String text = "";
      if (!silent) {
        listener.text("Once upon");
        text = "Once upon";
      }
      texted.countDown();
      try {
        while (!finished.await(10, TimeUnit.MILLISECONDS)) {
          if (cancelled.getCount() == 0) {
            return new ChatAnswer(jobId, text, null, null, null, true);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      listener.text(" a time");
      return new ChatAnswer(jobId, text + " a time", "stop", 10L, 3L, false);
    }

    @Override
    public void cancel() {
      cancelled.countDown();
    }

    void awaitText() throws InterruptedException {
      assertThat(texted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    void finish() {
      finished.countDown();
    }
  }

  /** A queen that only chats, one {@link StreamingCall} per turn. */
  static final class ChatQueen implements QueenApi {
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final List<StreamingCall> calls = new CopyOnWriteArrayList<>();
    volatile boolean silent;

    StreamingCall awaitCall(int index) {
      Awaitility.await().until(() -> calls.size() > index);
      return calls.get(index);
    }

    @Override
    public ChatCall chat(ChatRequest request) {
      requests.add(request);
      StreamingCall call = new StreamingCall("job-" + (calls.size() + 1), silent);
      calls.add(call);
      return call;
    }

    @Override
    public String url() {
      return "http://127.0.0.1:8500";
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public Submitted submit(Operation operation) {
      throw new UnsupportedOperationException("a chat submits no jobs");
    }

    @Override
    public Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent) {
      throw new UnsupportedOperationException("a chat follows no jobs");
    }

    @Override
    public JobInfo status(String jobId) {
      throw new UnsupportedOperationException("a chat reads no job");
    }

    @Override
    public JobInfo cancel(String jobId) {
      throw new UnsupportedOperationException("a chat cancels by closing its call");
    }

    @Override
    public String workerLogs(String hiveId, String workerId, int tail) {
      throw new UnsupportedOperationException("a chat reads no logs");
    }
  }
}
