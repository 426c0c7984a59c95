package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.jobs.client.JobStream;
import io.rbee.jobs.limits.Gate;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobCancelTest {
  private TestDaemon daemon;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (daemon != null) {
      daemon.close();
    }
  }

  /** A handler that waits for {@link #release} (or until interrupted by a cancel). */
  private final OperationHandler waiting = (op, job) -> {
    started.countDown();
    release.await();
  };

  @Test
  void deleteCancelsARunningJobWhichSeesItAndEndsCancelled() throws Exception {
    AtomicBoolean onCancelRan = new AtomicBoolean();
    AtomicBoolean sawCancelled = new AtomicBoolean();
    daemon = new TestDaemon((op, job) -> {
      job.onCancel(() -> onCancelRan.set(true));
      started.countDown();
      try {
        release.await();
      } finally {
        sawCancelled.set(job.cancelled());
      }
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    JobInfo info = daemon.client.cancel(id);

    assertThat(info.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(info.error()).isEqualTo("cancelled by request");
    // onCancel actions run aside, on a virtual thread of their own: the answer may come first
    await().atMost(Duration.ofSeconds(10)).untilTrue(onCancelRan);
    assertThat(sawCancelled).isTrue();
    List<SseEvent> events = new ArrayList<>();
    Done done = daemon.client.follow(id, 0, events::add);
    assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(events).extracting(SseEvent::event).containsExactly("narration", "done");
    assertThat(events.get(0).data()).contains("\"action\":\"job_cancel\"");
  }

  @Test
  @SuppressWarnings("try") // the permit is held for the body, never read
  void jobWaitingForAResourceIsToldItsPlaceAndCancelledEndsWithoutRunning() throws Exception {
    Gate slot = new Gate("the one test slot", 1);
    AtomicBoolean secondRan = new AtomicBoolean();
    daemon = new TestDaemon((op, job) -> {
      try (Gate.Permit p = slot.enter(job)) {
        if (started.getCount() == 0) {
          secondRan.set(true);
        }
        started.countDown();
        release.await();
      }
    });
    daemon.client.submit(TestDaemon.status());
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    String waiting = daemon.client.submit(TestDaemon.status()).jobId();
    await().until(() -> slot.waiting() == 1);

    assertThat(daemon.client.cancel(waiting).status()).isEqualTo(JobStatus.CANCELLED);

    List<SseEvent> events = new ArrayList<>();
    Done done = daemon.client.follow(waiting, 0, events::add);
    assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(events.get(0).data()).contains("\"action\":\"wait_queued\"")
        .contains("Waiting for the one test slot: 1 in use (of 1), 0 ahead of this job");
    assertThat(slot.waiting()).isZero();
    release.countDown();
    await().until(() -> slot.holders() == 0);
    assertThat(secondRan).isFalse();
  }

  @Test
  void cancellingAFinishedJobChangesNothing() throws Exception {
    daemon = new TestDaemon((op, job) -> job.token("x"));
    Done done = daemon.client.run(TestDaemon.status(), e -> {});

    JobInfo info = daemon.client.cancel(done.jobId());

    assertThat(info.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(info.lastEventId()).isEqualTo(2);
    assertThat(daemon.jobs.cancel(done.jobId())).isFalse();
  }

  @Test
  void fullQueueIs429AndLeavesNoChannelBehind() throws Exception {
    daemon = new TestDaemon(waiting, o -> o.withMaxLiveJobs(2));
    daemon.client.submit(TestDaemon.status());
    daemon.client.submit(TestDaemon.status());

    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs", "{\"operation\": {\"Status\": {}}}");
    assertThat(a.status()).isEqualTo(429);
    assertThat(a.json().path("error").path("code").asText()).isEqualTo("queue_full");
    assertThat(a.json().path("error").path("message").asText())
        .isEqualTo("testd is full: 2 jobs running or waiting, the most it holds; retry later");
    JobClientException e = catchThrowableOfType(JobClientException.class,
        () -> daemon.client.submit(TestDaemon.status()));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.code()).isEqualTo("queue_full");
    assertThat(daemon.broadcaster.size()).isEqualTo(2);

    release.countDown();
    await().untilAsserted(() ->
        assertThat(daemon.client.submit(TestDaemon.status()).jobId()).startsWith("job-"));
  }

  @Test
  void jobWhoseFollowerLeftIsCancelledAfterTheGracePeriod() throws Exception {
    AtomicBoolean onCancelRan = new AtomicBoolean();
    daemon = new TestDaemon((op, job) -> {
      job.onCancel(() -> onCancelRan.set(true));
      job.token("first");
      release.await();
    }, o -> o.withAbandonAfter(Duration.ofMillis(300)).withKeepAlive(Duration.ofMillis(100)));
    String id = daemon.client.submit(TestDaemon.status()).jobId();

    try (JobStream s = daemon.client.stream(id, 0)) {
      assertThat(s.next().event()).isEqualTo("token");
    }

    await().atMost(Duration.ofSeconds(10))
        .until(() -> daemon.jobs.info(id).orElseThrow().status() == JobStatus.CANCELLED);
    assertThat(onCancelRan).isTrue();
    assertThat(daemon.jobs.info(id).orElseThrow().error()).startsWith("abandoned: ");
  }

  @Test
  void followerComingBackWithinTheGracePeriodKeepsTheJob() throws Exception {
    daemon = new TestDaemon(waiting,
        o -> o.withAbandonAfter(Duration.ofSeconds(2)).withKeepAlive(Duration.ofMillis(50)));
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    var channel = daemon.broadcaster.find(id).orElseThrow();
    daemon.client.stream(id, 0).close();
    await().until(() -> channel.followers() == 0);

    try (JobStream again = daemon.client.stream(id, 0)) {
      // well past the moment the first follower's grace period would have ended it
      await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
          .until(() -> daemon.jobs.info(id).orElseThrow().status() == JobStatus.RUNNING);
      release.countDown();
      SseEvent last = null;
      for (SseEvent e; (e = again.next()) != null; ) {
        last = e;
      }
      assertThat(Json.read(last.data(), Done.class).status()).isEqualTo(JobStatus.SUCCEEDED);
    }
  }

  @Test
  void jobNobodyEverFollowedIsNotAbandoned() throws Exception {
    daemon = new TestDaemon(waiting, o -> o.withAbandonAfter(Duration.ofMillis(100)));
    String id = daemon.client.submit(TestDaemon.status()).jobId();

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
        .until(() -> daemon.jobs.info(id).orElseThrow().status() == JobStatus.RUNNING);
  }

  @Test
  void closingTheServerEndsRunningJobsCancelledEvenOneDeafToInterrupts() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      started.countDown();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (System.nanoTime() < until) {
        Thread.onSpinWait(); // deaf to interrupts
      }
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    daemon.jobs.close();

    JobInfo info = daemon.jobs.info(id).orElseThrow();
    assertThat(info.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(daemon.broadcaster.find(id).orElseThrow().finished()).isTrue();
  }
}
