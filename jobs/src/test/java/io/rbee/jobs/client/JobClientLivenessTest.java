package io.rbee.jobs.client;

import static io.rbee.jobs.auth.TestToken.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the client judges a stream alive (by silence, not read timeouts) and reuses connections. */
class JobClientLivenessTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private JobServer jobs;
  private DaemonHttp http;

  private void start(OperationHandler handler) {
    jobs = new JobServer(JobServer.Options.of("hive", Set.of("Status"))
        .withBroadcaster(broadcaster), handler);
    http = new DaemonHttp("hive", TOKEN, jobs::routes).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop();
      jobs.close();
    }
  }

  /** An HTTP client that counts the TCP connections it opens. */
  private static OkHttpClient counting(AtomicInteger connects, Duration readTimeout) {
    return new OkHttpClient.Builder().readTimeout(readTimeout).eventListener(new EventListener() {
      @Override
      public void connectStart(Call call, java.net.InetSocketAddress address,
          java.net.Proxy proxy) {
        connects.incrementAndGet();
      }
    }).build();
  }

  @Test
  void aServerThatGoesSilentMidStreamIsJudgedDeadAfterThreeKeepAliveIntervals()
      throws Exception {
    String first = "id: 1\nevent: token\ndata: {\"text\":\"a\"}\n\n";
    try (CannedServer silent = new CannedServer(List.of(
        CannedServer.Reply.streamThenSilence(first), CannedServer.Reply.nothing()))) {
      JobClient client = new JobClient(silent.baseUrl(), TOKEN)
          .withKeepAlive(Duration.ofMillis(200)).withResumeWindow(Duration.ofMillis(300));
      List<SseEvent> events = new CopyOnWriteArrayList<>();
      long t0 = System.nanoTime();

      CompletableFuture<Object> follow = CompletableFuture.supplyAsync(() -> {
        try {
          return client.follow("job-1", 0, events::add);
        } catch (JobClientException e) {
          return e;
        }
      });

      // silent 600 ms, resumed, silent again 600 ms (the window is spent): well under 5 s;
      // with a 30 s read timeout this took more than a minute
      Object outcome = follow.get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(events).extracting(SseEvent::numericId).containsExactly(1L);
      assertThat(outcome).isInstanceOf(JobClientException.class);
      JobClientException e = (JobClientException) outcome;
      assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
      assertThat(e.getMessage()).contains("broke before done: no answer within");
      // the stream asked for the keep-alive it judged by
      assertThat(silent.requestLines()).first().asString()
          .startsWith("GET /v1/jobs/job-1/stream?keepalive_ms=200 ");
      // the resume asked for what came after the last event read
      assertThat(silent.requestLines()).hasSizeGreaterThanOrEqualTo(2);
    }
    Awaitility.await().until(() -> SilenceWatch.SHARED.watched() == 0);
  }

  @Test
  void aStreamSilentPastItsLimitBreaksWithAMessageThatSaysSo() throws Exception {
    String first = "id: 1\nevent: token\ndata: {\"text\":\"a\"}\n\n";
    try (CannedServer silent = new CannedServer(List.of(
        CannedServer.Reply.streamThenSilence(first)))) {
      JobClient client =
          new JobClient(silent.baseUrl(), TOKEN).withKeepAlive(Duration.ofMillis(100));
      try (JobStream stream = client.stream("job-1", 0)) {
        assertThat(stream.next().numericId()).isEqualTo(1);

        JobClientException e = catchThrowableOfType(JobClientException.class, stream::next);

        assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
        assertThat(e.getMessage()).isEqualTo("stream of job job-1 from " + silent.baseUrl()
            + " broke: no byte for 300 ms (not even a keep-alive): the server stopped answering");
      }
    }
  }

  @Test
  void aQuietStreamOutlivesTheHttpClientsReadAndCallTimeoutsOnOneConnection() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    start((op, job) -> {
      job.token("before");
      never.await(1_500, TimeUnit.MILLISECONDS); // a quiet job: 5 times the read timeout
      job.token("after");
    });
    AtomicInteger connects = new AtomicInteger();
    // a read timeout of 300 ms, or a call timeout of 800 ms, would cut this stream: streams
    // must use neither (plain calls do)
    OkHttpClient strict = counting(connects, Duration.ofMillis(300)).newBuilder()
        .callTimeout(Duration.ofMillis(800)).build();
    JobClient client =
        new JobClient(http.baseUrl(), strict, TOKEN).withKeepAlive(Duration.ofMillis(200));
    // submitted on another client: a cold server may answer a plain call slower than 300 ms
    String id = new JobClient(http.baseUrl(), TOKEN).submit(new Operation.Status()).jobId();
    List<SseEvent> events = new CopyOnWriteArrayList<>();

    Done done = client.follow(id, 0, events::add);

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(events).extracting(SseEvent::numericId).containsExactly(1L, 2L, 3L);
    assertThat(connects.get()).as("connections opened (a cut stream reconnects)").isEqualTo(1);
  }

  @Test
  void sequentialJobsThroughOneClientReuseOneConnection() throws Exception {
    start((op, job) -> {
      for (int i = 0; i < 3; i++) {
        job.token("t" + i);
      }
    });
    AtomicInteger connects = new AtomicInteger();
    JobClient client = new JobClient(http.baseUrl(), counting(connects, Duration.ZERO), TOKEN);

    for (int i = 0; i < 10; i++) {
      Done done = client.run(new Operation.Status(), e -> {});
      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(client.status(done.jobId()).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    // submit, stream and status of ten jobs: one TCP connection, handed back after each done
    assertThat(connects.get()).as("connections opened").isEqualTo(1);
    Awaitility.await().until(() -> SilenceWatch.SHARED.watched() == 0);
  }

  @Test
  void aStreamClosedBeforeDoneIsCutAndItsConnectionNotReused() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start((op, job) -> {
      job.token("a");
      release.await();
    });
    AtomicInteger connects = new AtomicInteger();
    JobClient client = new JobClient(http.baseUrl(), counting(connects, Duration.ZERO), TOKEN);
    String id = client.submit(new Operation.Status()).jobId();
    try (JobStream stream = client.stream(id, 0)) {
      assertThat(stream.next().numericId()).isEqualTo(1);
    }
    release.countDown();

    Done done = client.follow(id, 1, e -> {});

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(connects.get()).isEqualTo(2); // the abandoned stream's connection was not reused
  }

  @Test
  void plainCallsAreBoundedEvenWithoutAReadTimeout() throws Exception {
    try (CannedServer mute = new CannedServer(List.of(CannedServer.Reply.nothing()))) {
      JobClient client = new JobClient(mute.baseUrl(), TOKEN);

      CompletableFuture<Boolean> healthy = CompletableFuture.supplyAsync(client::healthy);

      assertThat(healthy.get(5, TimeUnit.SECONDS)).isFalse();
    }
  }

  @Test
  void anUnansweredStreamOpenFailsAsUnreachable() throws Exception {
    try (CannedServer mute = new CannedServer(List.of(CannedServer.Reply.nothing()))) {
      JobClient client = new JobClient(mute.baseUrl(), TOKEN).withKeepAlive(Duration.ofMillis(100));

      JobClientException e = catchThrowableOfType(JobClientException.class,
          () -> client.stream("job-1", 0));

      assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
      assertThat(e.getMessage()).isEqualTo(mute.baseUrl()
          + " is not reachable (no answer within 300 ms)");
    }
  }

  @Test
  void keepAliveOutsideItsBoundsIsRefused() {
    JobClient client = new JobClient("http://127.0.0.1:1", TOKEN);

    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> client.withKeepAlive(Duration.ofMillis(5)));

    assertThat(e).hasMessage("keepalive_ms must be 100..60000 ms, got 5");
  }

}
