package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.Token;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.Gap;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ?merge_tokens=true}: tokens waiting for a follower together reach it as one event. */
class MergedTokensTest {
  // quotes, a backslash, a line break, non-ASCII and a surrogate pair: all must survive joining
  private static final String[] ODD = {"\"", "\\", "\n", "é", "😀", "\\\"", "plain"};

  private TestDaemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private static String text(int i) {
    return ODD[i % ODD.length] + i;
  }

  /** A finished job: tokens 1..70 (ids 1..70), a narration (71), tokens 71..100 (72..101). */
  private String finishedJob() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      for (int i = 1; i <= 70; i++) {
        job.token(text(i));
      }
      job.narrate("halfway").human("halfway").emit();
      for (int i = 71; i <= 100; i++) {
        job.token(text(i));
      }
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    await().until(() -> daemon.jobs.info(id).orElseThrow().status().isFinal());
    return id;
  }

  private static String joined(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i <= to; i++) {
      b.append(text(i));
    }
    return b.toString();
  }

  private static List<SseEvent> readAll(JobStream s) throws Exception {
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent e; (e = s.next()) != null; ) {
      events.add(e);
    }
    return events;
  }

  private static String tokenText(SseEvent e) {
    return Json.read(e.data(), Token.class).text();
  }

  @Test
  void waitingTokensComeAsRunsOfAtMost64WithTheLastId() throws Exception {
    String id = finishedJob();
    try (JobStream s = daemon.client.withMergedTokens().stream(id, 0)) {
      List<SseEvent> events = readAll(s);
      assertThat(events).extracting(SseEvent::event)
          .containsExactly("token", "token", "narration", "token", "done");
      assertThat(events).extracting(SseEvent::numericId).containsExactly(64L, 70L, 71L, 101L, 102L);
      assertThat(tokenText(events.get(0))).isEqualTo(joined(1, 64));
      assertThat(tokenText(events.get(1))).isEqualTo(joined(65, 70));
      assertThat(tokenText(events.get(3))).isEqualTo(joined(71, 100));
    }
  }

  @Test
  void resumingFromAMergedEventsIdContinuesRightAfterIt() throws Exception {
    String id = finishedJob();
    try (JobStream s = daemon.client.withMergedTokens().stream(id, 64)) {
      SseEvent next = s.next();
      assertThat(next.numericId()).isEqualTo(70L);
      assertThat(tokenText(next)).isEqualTo(joined(65, 70));
    }
  }

  @Test
  void withoutTheParameterEveryTokenIsItsOwnEvent() throws Exception {
    String id = finishedJob();
    try (JobStream s = daemon.client.stream(id, 0)) {
      List<SseEvent> events = readAll(s);
      assertThat(events).filteredOn(e -> JobEvent.TOKEN.equals(e.event())).hasSize(100);
      assertThat(events).extracting(SseEvent::numericId)
          .isSorted().doesNotHaveDuplicates().hasSize(102);
    }
  }

  @Test
  void aFollowerThatKeepsUpGetsATokenAtOnceNotHeldForTheNext() throws Exception {
    CountDownLatch seen = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> {
      job.token("first");
      // the next token is made only once the follower has the first: nothing to merge it with
      if (!seen.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the follower never got the first token alone");
      }
      job.token("second");
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    try (JobStream s = daemon.client.withMergedTokens().stream(id, 0)) {
      SseEvent first = s.next();
      assertThat(tokenText(first)).isEqualTo("first");
      seen.countDown();
      List<SseEvent> rest = readAll(s);
      assertThat(rest).extracting(SseEvent::event).containsExactly("token", "done");
      assertThat(tokenText(rest.get(0))).isEqualTo("second");
    }
  }

  @Test
  @Timeout(30) // the interval is a minute: only the narration and done can end the waits
  void tokensSoonerThanTheIntervalWaitForCompanyUntilSomethingElseComes() throws Exception {
    CountDownLatch seen = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> {
      job.token("a");
      if (!seen.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the follower never got the first token");
      }
      job.token("b");
      job.token("c");
      job.narrate("halfway").human("halfway").emit();
      job.token("d");
    }, o -> o.withTokenInterval(Duration.ofMinutes(1)));
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    try (JobStream s = daemon.client.withMergedTokens().stream(id, 0)) {
      assertThat(tokenText(s.next())).isEqualTo("a"); // the stream's first token: at once
      seen.countDown();
      List<SseEvent> rest = readAll(s);
      assertThat(rest).extracting(SseEvent::event)
          .containsExactly("token", "narration", "token", "done");
      assertThat(tokenText(rest.get(0))).isEqualTo("bc");
      assertThat(tokenText(rest.get(2))).isEqualTo("d");
    }
  }

  @Test
  void tokenDataOfAnotherShapeIsNeverJoined() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      job.relay(JobEvent.TOKEN, "{\"text\":\"a\",\"logprob\":-1}");
      job.relay(JobEvent.TOKEN, "{\"text\":\"b\"}");
      job.relay(JobEvent.TOKEN, "{\"text\":\"c\"}");
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    await().until(() -> daemon.jobs.info(id).orElseThrow().status().isFinal());
    try (JobStream s = daemon.client.withMergedTokens().stream(id, 0)) {
      List<SseEvent> events = readAll(s);
      assertThat(events).extracting(SseEvent::data).first()
          .isEqualTo("{\"text\":\"a\",\"logprob\":-1}");
      assertThat(events).extracting(SseEvent::numericId).containsExactly(1L, 3L, 4L);
      assertThat(tokenText(events.get(1))).isEqualTo("bc");
    }
  }

  @Test
  void aBadValueIsA400NamingTheParameter() throws Exception {
    String id = daemon().client.submit(TestDaemon.status()).jobId();
    Http.Answer a = Http.get(daemon.baseUrl() + "/v1/jobs/" + id + "/stream?merge_tokens=yes");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().at("/error/code").asText()).isEqualTo("invalid_merge_tokens");
    assertThat(a.json().at("/error/message").asText()).contains("merge_tokens", "true or false");
  }

  private TestDaemon daemon() {
    daemon = new TestDaemon((op, job) -> job.token("x"));
    return daemon;
  }

  @Test
  void aFollowerOfMergedTokensIsToldNoLossWhereNoneHappened() throws Exception {
    String id = finishedJob();
    List<SseEvent> events = new ArrayList<>();
    daemon.client.withMergedTokens().follow(id, 0, events::add);
    assertThat(events).extracting(SseEvent::event)
        .containsExactly("token", "token", "narration", "token", "done");
    assertThat(events.stream().filter(e -> JobEvent.TOKEN.equals(e.event()))
        .map(MergedTokensTest::tokenText).reduce("", String::concat)).isEqualTo(joined(1, 100));
  }

  @Test
  void aFollowerOfMergedTokensIsToldARealLossOnce() throws Exception {
    HistoryLimits keepFive = new HistoryLimits(5, 1 << 20, Duration.ofMinutes(1), 10);
    daemon = new TestDaemon((op, job) -> {
      for (int i = 1; i <= 20; i++) {
        job.token(text(i));
      }
    }, UnaryOperator.identity(), keepFive);
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    await().until(() -> daemon.jobs.info(id).orElseThrow().status().isFinal());
    List<SseEvent> events = new ArrayList<>();
    daemon.client.withMergedTokens().follow(id, 0, events::add);
    // kept: tokens 17..20 (ids 17..20) and done (21); ids 1..16 were evicted
    assertThat(events).extracting(SseEvent::event).containsExactly("gap", "token", "done");
    Gap gap = Json.read(events.get(0).data(), Gap.class);
    assertThat(gap.missed()).isEqualTo(16);
    assertThat(gap.firstId()).isEqualTo(17);
    assertThat(tokenText(events.get(1))).isEqualTo(joined(17, 20));
  }
}
