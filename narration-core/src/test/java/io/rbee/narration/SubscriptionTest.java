package io.rbee.narration;

import static io.rbee.narration.Followers.nextEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One follower's cursor: waiting, timing out, ending, and leaving. */
class SubscriptionTest {
  private final JobChannel job = new Broadcaster(HistoryLimits.DEFAULT).open("job-1");

  @Test
  void nextTimesOutWithNullOnAQuietJobWhichIsNotExhausted() throws Exception {
    Subscription s = job.follow(0);

    long started = System.nanoTime();
    JobEvent e = s.next(Duration.ofMillis(100));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(e).isNull();
    assertThat(waitedMs).isGreaterThanOrEqualTo(90);
    assertThat(s.exhausted()).isFalse();
    assertThat(s.cursor()).isZero();
  }

  @Test
  void afterReadingDoneTheSubscriptionIsExhaustedAndReturnsNullAtOnce() throws Exception {
    Subscription s = job.follow(0);
    job.send(JobEvent.NARRATION, "{}");
    job.finish("{}");

    assertThat(nextEvent(s).id()).isEqualTo(1);
    assertThat(s.exhausted()).as("done not read yet").isFalse();
    assertThat(nextEvent(s).event()).isEqualTo(JobEvent.DONE);
    assertThat(s.exhausted()).isTrue();
    assertThat(s.cursor()).isEqualTo(2);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertThat(s.next(Duration.ofMinutes(5))).isNull();
    });
  }

  @Test
  void aWaitingFollowerWakesAsSoonAsAnEventArrives() throws Exception {
    CompletableFuture<Object> waiting = blockedInNext(job.follow(0));

    job.send(JobEvent.TOKEN, "{\"text\":\"x\"}");

    assertThat(waiting.get(10, TimeUnit.SECONDS))
        .isEqualTo(new JobEvent(1, JobEvent.TOKEN, "{\"text\":\"x\"}"));
  }

  @Test
  void aWaitingFollowerWakesWithDoneWhenTheJobFinishes() throws Exception {
    job.send(JobEvent.NARRATION, "{}");
    CompletableFuture<Object> waiting = blockedInNext(job.follow(1));

    job.finish("{\"status\":\"cancelled\"}");

    assertThat(waiting.get(10, TimeUnit.SECONDS))
        .isEqualTo(new JobEvent(2, JobEvent.DONE, "{\"status\":\"cancelled\"}"));
  }

  @Test
  void aWaitingFollowerCanBeInterrupted() throws Exception {
    Thread[] reader = new Thread[1];
    CompletableFuture<Object> outcome = blockedInNext(job.follow(0), reader);

    reader[0].interrupt();

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  private static CompletableFuture<Object> blockedInNext(Subscription s) {
    return blockedInNext(s, new Thread[1]);
  }

  /**
   * Calls {@code s.next} with a long timeout on a new thread and returns once that thread is
   * parked inside it; completes with the event, or with the exception {@code next} threw.
   */
  private static CompletableFuture<Object> blockedInNext(Subscription s, Thread[] thread) {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    thread[0] = new Thread(() -> {
      try {
        outcome.complete(s.next(Duration.ofMinutes(5)));
      } catch (Throwable t) {
        outcome.complete(t);
      }
    }, "follower-" + s.jobId());
    thread[0].setDaemon(true);
    thread[0].start();
    await().pollInterval(Duration.ofMillis(5))
        .until(() -> thread[0].getState() == Thread.State.WAITING
            || thread[0].getState() == Thread.State.TIMED_WAITING);
    return outcome;
  }

  @Test
  void followersChangedCountsEveryAttachAndLeave() {
    List<Integer> counts = new CopyOnWriteArrayList<>();
    job.onFollowersChanged(counts::add);

    Subscription a = job.follow(0);
    Subscription b = job.follow(0);
    a.close();
    a.close(); // closing twice leaves once
    b.close();

    assertThat(counts).containsExactly(1, 2, 1, 0);
    assertThat(job.followers()).isZero();
  }

  @Test
  void followerCountsReachListenersInTheOrderTheyHappenedUnderConcurrency() throws Exception {
    AtomicInteger lastSeen = new AtomicInteger(-1);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    job.onFollowersChanged(count -> {
      seen.add(count);
      lastSeen.set(count);
    });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 2_000; i++) {
            job.follow(0).close();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> run : runs) {
        run.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(job.followers()).isZero();
    assertThat(seen).hasSize(2 * 8 * 2_000);
    // each count differs from the one before by exactly one: no notification overtook another
    for (int i = 1; i < seen.size(); i++) {
      assertThat(Math.abs(seen.get(i) - seen.get(i - 1))).as("step %d", i).isEqualTo(1);
    }
    assertThat(lastSeen.get()).isZero();
  }

  @Test
  void aClosedSubscriptionReadsNothingAndIsExhausted() throws Exception {
    job.send(JobEvent.NARRATION, "{}");
    Subscription s = job.follow(0);

    s.close();

    assertThat(s.exhausted()).isTrue();
    assertThat(s.next(Duration.ofMinutes(1))).isNull();
    assertThat(s.jobId()).isEqualTo("job-1");
  }
}
