package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.Gap;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobStreamTest {
  private TestDaemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  /** A daemon whose jobs emit {@code count} tokens "t1".."tN" and succeed. */
  private TestDaemon tokens(int count) {
    return new TestDaemon((op, job) -> {
      for (int i = 1; i <= count; i++) {
        job.token("t" + i);
      }
    });
  }

  private static List<SseEvent> readAll(JobStream s) throws Exception {
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent e; (e = s.next()) != null; ) {
      events.add(e);
    }
    return events;
  }

  @Test
  void lateFollowerOfAFinishedJobGetsEveryEventThenTheStreamEnds() throws Exception {
    daemon = tokens(10);
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    org.awaitility.Awaitility.await().until(() -> daemon.jobs.info(id).orElseThrow().status()
        .isFinal());

    try (JobStream s = daemon.client.stream(id, 0)) {
      List<SseEvent> events = readAll(s);
      assertThat(events).extracting(SseEvent::numericId)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
      assertThat(events.get(10).event()).isEqualTo("done");
      assertThat(s.sawDone()).isTrue();
      assertThat(s.next()).isNull();
    }
  }

  @Test
  void twoFollowersOfOneRunningJobBothGetEverything() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> {
      job.token("before");
      release.await();
      job.token("after");
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();

    try (JobStream a = daemon.client.stream(id, 0); JobStream b = daemon.client.stream(id, 0)) {
      assertThat(a.next().data()).isEqualTo("{\"text\":\"before\"}");
      assertThat(b.next().data()).isEqualTo("{\"text\":\"before\"}");
      release.countDown();
      for (JobStream s : List.of(a, b)) {
        List<SseEvent> rest = readAll(s);
        assertThat(rest).extracting(SseEvent::event).containsExactly("token", "done");
        assertThat(rest).extracting(SseEvent::numericId).containsExactly(2L, 3L);
      }
    }
  }

  @Test
  void resumingWithLastEventIdGetsExactlyTheRest() throws Exception {
    daemon = tokens(5);
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    List<SseEvent> all = new ArrayList<>();
    daemon.client.follow(id, 0, all::add);

    try (JobStream s = daemon.client.stream(id, 3)) {
      assertThat(readAll(s)).containsExactlyElementsOf(all.subList(3, all.size()));
    }
    // the same through ?after= (what a browser-less curl would use)
    Http.Answer raw = Http.get(daemon.baseUrl() + "/v1/jobs/" + id + "/stream?after=4");
    assertThat(raw.body()).isEqualTo(
        "id: 5\nevent: token\ndata: {\"text\":\"t5\"}\n\n"
            + "id: 6\nevent: done\ndata: " + all.get(5).data() + "\n\n");
  }

  @Test
  void streamHasSseHeaders() throws Exception {
    daemon = tokens(1);
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    Request r = new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/" + id + "/stream").build();
    try (Response res = Http.CLIENT.newCall(r).execute()) {
      assertThat(res.code()).isEqualTo(200);
      assertThat(res.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
      assertThat(res.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(res.header("X-Accel-Buffering")).isEqualTo("no");
      assertThat(res.body().string()).endsWith("\n\n").contains("event: done");
    }
  }

  @Test
  void quietJobKeepsTheStreamOpenWithKeepAliveCommentsUntilDone() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> release.await(),
        o -> o.withKeepAlive(Duration.ofMillis(200)));
    String id = daemon.client.submit(TestDaemon.status()).jobId();

    Request r = new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/" + id + "/stream").build();
    try (Response res = Http.CLIENT.newCall(r).execute();
        BufferedReader in = new BufferedReader(
            new InputStreamReader(res.body().byteStream(), StandardCharsets.UTF_8))) {
      int keepAlives = 0;
      while (keepAlives < 3) {
        String line = in.readLine();
        assertThat(line).as("stream ended while the job was quiet").isNotNull();
        if (line.equals(": keep-alive")) {
          keepAlives++;
        } else {
          assertThat(line).isEmpty();
        }
      }
      release.countDown();
      StringBuilder rest = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      assertThat(rest.toString()).contains("id: 1\nevent: done\ndata: ")
          .contains("\"status\":\"succeeded\"");
    }
  }

  @Test
  void followerBehindTheHistoryBoundGetsAGapEventWithoutAnIdBeforeTheFirstKeptEvent()
      throws Exception {
    String id = finishedJobOfTwentyTokensKeepingFive();

    Http.Answer raw = Http.get(daemon.baseUrl() + "/v1/jobs/" + id + "/stream");
    assertThat(raw.body()).startsWith("event: gap\ndata: {\"job_id\":\"" + id
        + "\",\"missed\":16,\"first_id\":17}\n\nid: 17\nevent: token\n");
    assertThat(raw.body()).contains("id: 21\nevent: done\n");

    // resuming into the evicted part: the gap counts only what this follower skipped
    Request resume = new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/" + id + "/stream")
        .header("Last-Event-ID", "10").build();
    assertThat(Http.send(resume).body()).startsWith("event: gap\ndata: {\"job_id\":\"" + id
        + "\",\"missed\":6,\"first_id\":17}\n\nid: 17\n");
  }

  @Test
  void aJobClientSeesTheGapAsAnEventAndItsLastIdStaysTheLastRealEvent() throws Exception {
    String id = finishedJobOfTwentyTokensKeepingFive();

    try (JobStream s = daemon.client.stream(id, 2)) {
      SseEvent gap = s.next();
      assertThat(gap.event()).isEqualTo(JobEvent.GAP);
      assertThat(Gap.parse(gap.data())).isEqualTo(new Gap(id, 14, 17));
      assertThat(gap.numericId()).as("no id: the last id stays the one resumed from").isZero();
      assertThat(s.next().numericId()).isEqualTo(17);
    }
  }

  @Test
  void resumingAtOrPastTheEndOfAFinishedJobGetsItsDoneAgainWithItsId() throws Exception {
    daemon = tokens(5);
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    List<SseEvent> all = new ArrayList<>();
    daemon.client.follow(id, 0, all::add);
    String doneData = all.get(5).data();
    String url = daemon.baseUrl() + "/v1/jobs/" + id + "/stream";

    for (String after : List.of("6", "7", "1000")) {
      Request r = new Request.Builder().url(url).header("Last-Event-ID", after).build();
      Http.Answer raw = Http.send(r);
      assertThat(raw.status()).isEqualTo(200);
      assertThat(raw.body()).as("after %s", after).isEqualTo("id: 6\nevent: done\ndata: "
          + doneData + "\n\n");
    }
    assertThat(Http.get(url + "?after=6").body()).startsWith("id: 6\nevent: done\n");
  }

  @Test
  void resumingPastTheNewestEventOfARunningJobIs400NamingTheNewestId() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> {
      job.token("one");
      release.await();
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    var channel = daemon.broadcaster.find(id).orElseThrow();
    org.awaitility.Awaitility.await().until(() -> channel.lastId() == 1);

    Request r = new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/" + id + "/stream")
        .header("Last-Event-ID", "5").build();
    Http.Answer raw = Http.send(r);

    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.json().at("/error/code").asText()).isEqualTo("invalid_event_id");
    assertThat(raw.json().at("/error/message").asText()).contains("event id 5")
        .contains("newest event (1)");
    assertThat(channel.followers()).isZero();
    release.countDown();
  }

  @Test
  void doneReportsTheStatsAndTheStreamClosesAfterIt() throws Exception {
    daemon = tokens(2);
    Done done = daemon.client.run(TestDaemon.status(), e -> {});
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.error()).isNull();
    // the server lets go of the follower once it has written done: it may lag the client
    var channel = daemon.broadcaster.find(done.jobId()).orElseThrow();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> channel.followers() == 0);
  }

  @Test
  void followerThatDisconnectsIsNoticedAndUnsubscribed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> release.await(TimeUnit.SECONDS.toMillis(30),
        TimeUnit.MILLISECONDS), o -> o.withKeepAlive(Duration.ofMillis(100)));
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    var channel = daemon.broadcaster.find(id).orElseThrow();

    JobStream s = daemon.client.stream(id, 0);
    org.awaitility.Awaitility.await().until(() -> channel.followers() == 1);
    s.close();

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> channel.followers() == 0);
    release.countDown();
  }

  @Test
  void aFinishedJobForgottenForTheProcessBudgetIsGoneAtOnce() throws Exception {
    String kb = "x".repeat(1_000);
    HistoryLimits budget = new HistoryLimits(1_000, 1 << 20, Duration.ofMinutes(30), 100)
        .withProcessBytes(64 * 1024);
    daemon = new TestDaemon((op, job) -> {
      for (int i = 0; i < 10; i++) {
        job.token(kb);
      }
    }, UnaryOperator.identity(), budget);
    String first = daemon.client.submit(TestDaemon.status()).jobId();
    daemon.client.follow(first, 0, e -> {});
    assertThat(Http.get(daemon.baseUrl() + "/v1/jobs/" + first).status()).isEqualTo(200);

    // each job keeps ~20 KB: a few more push the first out of the 64 KiB budget
    for (int i = 0; i < 3; i++) {
      daemon.client.run(TestDaemon.status(), e -> {});
    }

    assertThat(daemon.broadcaster.find(first)).isEmpty();
    assertThat(daemon.broadcaster.bytesKept()).isLessThanOrEqualTo(64 * 1024);
    Http.Answer gone = Http.get(daemon.baseUrl() + "/v1/jobs/" + first + "/stream");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/error/code").asText()).isEqualTo("job_not_found");
  }

  @Test
  void finishedJobsTheBroadcasterForgotAreDroppedFromMemoryTooAsNewOnesComeIn() throws Exception {
    HistoryLimits keepFive = new HistoryLimits(100, 1 << 20, Duration.ofMinutes(30), 5);
    daemon = new TestDaemon((op, job) -> job.token("t"), UnaryOperator.identity(), keepFive);
    String first = daemon.client.run(TestDaemon.status(), e -> {}).jobId();

    for (int i = 0; i < 40; i++) {
      daemon.client.run(TestDaemon.status(), e -> {});
    }

    // the five finished jobs the broadcaster keeps, and at most the one it forgets next
    assertThat(daemon.jobs.jobsInMemory()).isBetween(5, 6);
    assertThat(daemon.broadcaster.find(first)).isEmpty();
    assertThat(Http.get(daemon.baseUrl() + "/v1/jobs/" + first).status()).isEqualTo(404);
  }

  /** A finished job of 20 tokens (ids 1..20, done 21) on a daemon that keeps 5 events. */
  private String finishedJobOfTwentyTokensKeepingFive() throws Exception {
    HistoryLimits small = new HistoryLimits(5, 1 << 20, Duration.ofMinutes(1), 10);
    daemon = new TestDaemon((op, job) -> {
      for (int i = 1; i <= 20; i++) {
        job.token("t" + i);
      }
    }, UnaryOperator.identity(), small);
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    org.awaitility.Awaitility.await().until(() -> daemon.jobs.info(id).orElseThrow().status()
        .isFinal());
    return id;
  }
}
