package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.auth.TestToken;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEvent;
import io.rbee.narration.sse.SseParser;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of followers of one job, each a real HTTP connection: every one gets every event
 * exactly once and in order, those replayed from before it connected and those sent live.
 */
class FanOutTest {
  private static final int FOLLOWERS = 3_000;
  private static final int BEFORE = 100; // sent before anyone follows: replayed
  private static final int LIVE = 100; // sent while all follow

  private TestDaemon daemon;
  private ExecutorService threads;

  @AfterEach
  void stop() {
    if (threads != null) {
      threads.shutdownNow();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  @Timeout(90) // about 30 s on 2 shared cores
  void threeThousandFollowersEachGetEveryEventExactlyOnceInOrder() throws Exception {
    CountDownLatch allFollow = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> {
      for (int i = 1; i <= BEFORE; i++) {
        job.token("t" + i);
      }
      allFollow.await();
      for (int i = BEFORE + 1; i <= BEFORE + LIVE; i++) {
        job.token("t" + i);
      }
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    JobChannel channel = daemon.broadcaster.find(id).orElseThrow();
    await().until(() -> channel.lastId() == BEFORE);

    threads = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient http = HttpClient.newBuilder().executor(threads)
        .connectTimeout(Duration.ofSeconds(30)).build();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create(daemon.baseUrl() + "/v1/jobs/" + id + "/stream"))
        .header("Authorization", TestToken.TOKEN.authorization()).build();
    List<Future<List<Long>>> followers = new ArrayList<>();
    for (int i = 0; i < FOLLOWERS; i++) {
      followers.add(threads.submit(() -> follow(http, request)));
    }
    await().atMost(Duration.ofSeconds(80)).until(() -> channel.followers() == FOLLOWERS);
    allFollow.countDown();

    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= BEFORE + LIVE + 1; i++) {
      expected.add(i);
    }
    for (Future<List<Long>> f : followers) {
      assertThat(f.get(80, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> channel.followers() == 0);
  }

  /** The ids of one follower's events up to done, negative where a token is not its id's. */
  private static List<Long> follow(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<InputStream> res = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.statusCode()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    try (InputStream body = res.body()) {
      SseParser parser = new SseParser(body);
      for (SseEvent e; (e = parser.next()) != null; ) {
        boolean done = JobEvent.DONE.equals(e.event());
        // a wrong token shows as a negative id (cheaper than an assertion per event)
        boolean right = done || e.data().equals("{\"text\":\"t" + e.numericId() + "\"}");
        ids.add(right ? e.numericId() : -e.numericId());
        if (done) {
          break;
        }
      }
    }
    return ids;
  }
}
