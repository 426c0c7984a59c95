package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.client.JobStream;
import io.rbee.jobs.metrics.MetricValues;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A follower that stops reading costs the job and the other followers nothing, is cut once it
 * falls too far behind, and can resume by id.
 */
class StuckFollowerTest {
  private static final int EVENTS = 20_000;
  private static final String PAD = "x".repeat(1_000); // ~20 MB in all: far past socket buffers
  private static final Pattern EVENT_ID = Pattern.compile("id: (\\d+)\nevent: token\ndata: "
      + "\\{\"text\":\"t\\d+ " + PAD + "\"}\n\n");

  private TestDaemon daemon;
  private Socket stuck;

  @AfterEach
  void stop() throws Exception {
    if (stuck != null) {
      stuck.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  private JobChannel channel;
  private String id;
  private final CountDownLatch go = new CountDownLatch(1);
  private final long[] emitNanos = new long[1];
  private double cutBefore;

  /** A daemon whose job emits {@link #EVENTS} tokens of 1 KB once {@link #go} opens. */
  private void start(FollowerLimits limits) throws Exception {
    cutBefore = MetricValues.value("rbee_job_followers_cut_total", "daemon", "testd");
    daemon = new TestDaemon((op, job) -> {
      go.await();
      long t0 = System.nanoTime();
      for (int i = 1; i <= EVENTS; i++) {
        job.token("t" + i + " " + PAD);
      }
      emitNanos[0] = System.nanoTime() - t0;
    }, o -> o.withFollowerLimits(limits),
        new HistoryLimits(100_000, 1L << 30, Duration.ofMinutes(5), 10));
    id = daemon.client.submit(TestDaemon.status()).jobId();
    channel = daemon.broadcaster.find(id).orElseThrow();
    stuck = openStuckFollower(id);
  }

  @Test
  @Timeout(120)
  void aFollowerWhoseWritesStayBlockedIsCutWhileTheJobAndAnotherFollowerRunAtFullSpeed()
      throws Exception {
    start(new FollowerLimits(Integer.MAX_VALUE, Duration.ofSeconds(1))); // never cut for lag
    // another follower on one connection: were it cut, its stream would end without done
    CompletableFuture<List<SseEvent>> good = CompletableFuture.supplyAsync(() -> {
      try (JobStream s = daemon.client.stream(id, 0)) {
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent e; (e = s.next()) != null; ) {
          events.add(e);
        }
        return events;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, r -> Thread.ofVirtual().start(r));
    await().atMost(Duration.ofSeconds(10)).until(() -> channel.followers() == 2);
    go.countDown();

    List<SseEvent> events = good.get(60, TimeUnit.SECONDS);
    assertThat(events).hasSize(EVENTS + 1);
    for (int i = 0; i < EVENTS; i++) {
      assertThat(events.get(i).numericId()).isEqualTo(i + 1);
    }
    assertThat(events.get(EVENTS).event()).isEqualTo(JobEvent.DONE);
    assertThat(daemon.jobs.info(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(Duration.ofNanos(emitNanos[0])).isLessThan(Duration.ofSeconds(20));

    assertCutThenResumes();
  }

  @Test
  @Timeout(120)
  void aFollowerTooFarBehindIsCutLongBeforeItsWritesCountAsBlocked() throws Exception {
    start(new FollowerLimits(2_000, Duration.ofMinutes(10)));
    await().atMost(Duration.ofSeconds(10)).until(() -> channel.followers() == 1);
    go.countDown();

    await().atMost(Duration.ofSeconds(60)).until(() -> daemon.jobs.info(id).orElseThrow()
        .status().isFinal());
    assertThat(daemon.jobs.info(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);

    assertCutThenResumes();
  }

  /** No follower is left while the stuck one read nothing; it then resumes with the rest. */
  private void assertCutThenResumes() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> channel.followers() == 0);
    assertThat(MetricValues.value("rbee_job_followers_cut_total", "daemon", "testd"))
        .isEqualTo(cutBefore + 1);
    String received = readToEof(stuck);
    assertThat(received).startsWith("HTTP/1.1 200").doesNotContain("event: done");
    long last = lastCompleteEventId(received);
    assertThat(last).as("it got some events before it stopped reading")
        .isGreaterThan(0).isLessThan(EVENTS - 1_000);

    Request resume = new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/" + id + "/stream")
        .header("Last-Event-ID", Long.toString(last)).build();
    String rest = Http.send(resume).body();
    assertThat(rest).startsWith("id: " + (last + 1) + "\nevent: token\n")
        .endsWith("\"status\":\"succeeded\"}\n\n");
    assertThat(rest.split("\nevent: token\n", -1)).hasSize((int) (EVENTS - last) + 1);
  }

  /** Asks for the stream over a socket with a tiny receive buffer, then never reads it. */
  private Socket openStuckFollower(String id) throws Exception {
    URI base = URI.create(daemon.baseUrl());
    Socket s = new Socket();
    s.setReceiveBufferSize(1024);
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
    OutputStream out = s.getOutputStream();
    out.write(("GET /v1/jobs/" + id + "/stream HTTP/1.1\r\nHost: " + base.getHost() + ":"
        + base.getPort() + "\r\nAuthorization: " + TestToken.TOKEN.authorization()
        + "\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private static String readToEof(Socket s) throws Exception {
    s.setSoTimeout(20_000); // a cut connection ends; one that was not would hang here
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        all.write(buf, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a cut connection may end with a reset: what arrived before it is what counts
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  /**
   * The id of the last event that arrived whole (the body is chunked: a chunk header may split
   * an event, which then does not match; every event before a match did arrive).
   */
  private static long lastCompleteEventId(String raw) {
    long last = 0;
    Matcher m = EVENT_ID.matcher(raw);
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }
}
