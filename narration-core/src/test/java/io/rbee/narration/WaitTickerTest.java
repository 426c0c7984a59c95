package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Followers' timed waits end by {@link WaitTicker}, not by a timer per wait: on time (never
 * early, at most a tick late plus the machine's noise), each at its own deadline however many
 * wait on one job, and a finished job is no longer armed.
 */
class WaitTickerTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);

  @Test
  void aTimedWaitOnAVirtualThreadEndsAtItsDeadlineWithoutAnEvent() throws Exception {
    JobChannel job = broadcaster.open("job-quiet");

    long waitedMs = onVirtualThread(job.follow(0), Duration.ofMillis(300))
        .get(10, TimeUnit.SECONDS);

    assertThat(waitedMs).isBetween(300L, 300 + WaitTicker.TICK.toMillis() + 2_000);
  }

  @Test
  void followersOfOneJobEachWaitTheirOwnTimeout() throws Exception {
    JobChannel job = broadcaster.open("job-two-followers");

    CompletableFuture<Long> longer = onVirtualThread(job.follow(0), Duration.ofMillis(1_500));
    CompletableFuture<Long> shorter = onVirtualThread(job.follow(0), Duration.ofMillis(200));

    assertThat(shorter.get(10, TimeUnit.SECONDS)).isBetween(200L, 1_400L);
    assertThat(longer).isNotDone(); // woken with the shorter one, it waits on for its own
    assertThat(longer.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1_500L);
  }

  @Test
  void aFollowerOfABusyJobTimesOutOnlyOnceTheJobIsQuiet() throws Exception {
    JobChannel job = broadcaster.open("job-busy");
    Subscription s = job.follow(0);
    Duration keepAlive = Duration.ofSeconds(1);
    CompletableFuture<Long> timedOutAfter = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        long quietSince = System.nanoTime();
        while (true) {
          JobEvent e = s.next(keepAlive);
          if (e == null) {
            timedOutAfter.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietSince));
            return;
          }
          quietSince = System.nanoTime();
        }
      } catch (Throwable t) {
        timedOutAfter.completeExceptionally(t);
      }
    });

    for (int i = 0; i < 24; i++) { // 2.4 s of events, 100 ms apart: the first deadline passes
      job.send(JobEvent.NARRATION, "{}");
      Thread.sleep(100); // the job's pace, not a wait for a condition
      assertThat(timedOutAfter).as("timed out while events came").isNotDone();
    }

    assertThat(timedOutAfter.get(10, TimeUnit.SECONDS))
        .isBetween(1_000L, 1_000 + WaitTicker.TICK.toMillis() + 2_000);
    assertThat(s.cursor()).isEqualTo(24);
  }

  @Test
  void anEventEndsTheWaitAndAFinishedJobIsNoLongerArmed() throws Exception {
    JobChannel job = broadcaster.open("job-ends");
    Subscription s = job.follow(0);
    CompletableFuture<Long> waiting = onVirtualThread(s, Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> WaitTicker.isArmed(job));

    job.send(JobEvent.NARRATION, "{}");
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isLessThan(60_000L);
    assertThat(s.cursor()).isEqualTo(1);
    job.finish("{}");

    assertThat(WaitTicker.isArmed(job)).isFalse();
  }

  /** Calls {@code s.next(timeout)} on a virtual thread; completes with the ms it took. */
  private static CompletableFuture<Long> onVirtualThread(Subscription s, Duration timeout) {
    CompletableFuture<Long> took = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      long start = System.nanoTime();
      try {
        s.next(timeout);
        took.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      } catch (Throwable t) {
        took.completeExceptionally(t);
      }
    });
    return took;
  }
}
