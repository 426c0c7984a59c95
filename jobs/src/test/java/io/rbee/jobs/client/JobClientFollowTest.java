package io.rbee.jobs.client;

import static io.rbee.jobs.auth.TestToken.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobClientFollowTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private TestJobDaemon daemon;

  private void start(OperationHandler handler) {
    daemon = new TestJobDaemon(handler);
  }

  @AfterEach
  void stop() {
    release.countDown();
    daemon.close();
  }

  @Test
  void followResumesACutConnectionWithoutLosingOrRepeatingEvents() throws Exception {
    start(TestJobDaemon.fiveTokensThenFiveMore(release));
    try (CuttingProxy proxy = new CuttingProxy(daemon.http.port())) {
      JobClient client = new JobClient(proxy.baseUrl(), TOKEN);
      String id = client.submit(new Operation.Status()).jobId();
      List<SseEvent> events = new CopyOnWriteArrayList<>();

      Done done = client.follow(id, 0, TestJobDaemon.cuttingAtTheFifth(events, proxy, release));

      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      TestJobDaemon.assertEveryEventOnceInOrder(events);
      assertThat(proxy.connections()).isGreaterThanOrEqualTo(2); // before and after the cut
    }
  }

  @Test
  void aResumeListenerIsToldOfTheOutageOnceAndOfTheResume() throws Exception {
    start((op, job) -> {
      job.token("a");
      release.await();
      job.token("b");
    });
    try (CuttingProxy proxy = new CuttingProxy(daemon.http.port())) {
      JobClient client = new JobClient(proxy.baseUrl(), TOKEN);
      String id = client.submit(new Operation.Status()).jobId();
      List<String> told = new CopyOnWriteArrayList<>();
      ResumeListener listener = new ResumeListener() {
        @Override
        public void lost(String problem) {
          told.add("lost");
        }

        @Override
        public void resumed() {
          told.add("resumed");
        }
      };

      Done done = client.follow(id, 0, e -> {
        told.add("event " + e.numericId());
        if (e.numericId() == 1) {
          proxy.cut();
          release.countDown();
        }
      }, listener);

      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(told).containsExactly("event 1", "lost", "resumed", "event 2", "event 3");
    }
  }

  @Test
  void followFromAnEventIdSkipsWhatCameBefore() throws Exception {
    start((op, job) -> {
      for (int i = 1; i <= 4; i++) {
        job.token("t" + i);
      }
    });
    JobClient client = new JobClient(daemon.http.baseUrl(), TOKEN);
    String id = client.submit(new Operation.Status()).jobId();
    List<SseEvent> events = new CopyOnWriteArrayList<>();
    // a follower resumes from an id it was sent: wait until event 2 exists (a resume past the
    // newest event of a running job is refused)
    org.awaitility.Awaitility.await().until(() -> client.status(id).lastEventId() >= 2);

    client.follow(id, 2, events::add);

    assertThat(events).extracting(SseEvent::numericId).containsExactly(3L, 4L, 5L);
  }

  @Test
  void serverStoppedMidStreamMakesFollowThrowStreamBrokenWithinSeconds() throws Exception {
    start((op, job) -> {
      job.token("only");
      release.await();
    });
    JobClient client = new JobClient(daemon.http.baseUrl(), TOKEN).withResumeWindow(Duration.ofSeconds(1));
    String id = client.submit(new Operation.Status()).jobId();
    CountDownLatch firstEvent = new CountDownLatch(1);
    CompletableFuture<Done> follow = CompletableFuture.supplyAsync(() -> {
      try {
        return client.follow(id, 0, e -> firstEvent.countDown());
      } catch (JobClientException e) {
        throw new RuntimeException(e);
      }
    });
    assertThat(firstEvent.await(10, TimeUnit.SECONDS)).isTrue();

    String url = daemon.http.baseUrl();
    long t0 = System.nanoTime();
    daemon.http.stop();

    await().atMost(Duration.ofSeconds(10)).until(follow::isDone);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    ExecutionException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
            follow::get);
    JobClientException e = (JobClientException) failure.getCause().getCause();
    assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
    assertThat(e.getMessage()).isEqualTo("stream of job " + id + " from " + url
        + " broke before done: connection refused");
  }

  @Test
  void followOfAnUnknownJobIsNotFoundAtOnce() {
    start((op, job) -> {});
    JobClient client = new JobClient(daemon.http.baseUrl(), TOKEN);

    JobClientException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        JobClientException.class, () -> client.follow("job-missing", 0, ev -> {}));

    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void closingAStreamFromAnotherThreadUnblocksNext() throws Exception {
    start((op, job) -> release.await());
    JobClient client = new JobClient(daemon.http.baseUrl(), TOKEN);
    String id = client.submit(new Operation.Status()).jobId();
    JobStream stream = client.stream(id, 0);
    CompletableFuture<SseEvent> next = CompletableFuture.supplyAsync(() -> {
      try {
        return stream.next();
      } catch (JobClientException e) {
        throw new RuntimeException(e);
      }
    });
    await().until(() -> daemon.broadcaster.find(id).orElseThrow().followers() == 1);

    stream.close();

    assertThat(next.get(5, TimeUnit.SECONDS)).isNull();
  }
}
