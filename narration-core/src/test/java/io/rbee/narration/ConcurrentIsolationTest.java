package io.rbee.narration;

import static io.rbee.narration.Followers.ids;
import static io.rbee.narration.Followers.narrations;
import static io.rbee.narration.Followers.range;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many jobs narrated at once from many threads never bleed into each other's streams. */
class ConcurrentIsolationTest {
  private static final int JOBS = 50;
  private static final int PER_JOB = 200;
  private static final int GHOSTS_PER_JOB = 3;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everyFollowerSeesExactlyItsJobsEventsInOrderWithContiguousIds() throws Exception {
    Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
    Narrator narrate = Narrator.of("hive", broadcaster);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> producers = new ArrayList<>();
    List<Future<List<JobEvent>>> early = new ArrayList<>();
    List<Future<List<JobEvent>>> joining = new ArrayList<>();

    for (int j = 0; j < JOBS; j++) {
      String jobId = "job-" + j;
      JobChannel channel = broadcaster.open(jobId);
      Subscription fromTheStart = channel.follow(0);
      early.add(pool.submit(() -> {
        start.await();
        return readToDone(fromTheStart);
      }));
      // attaches whenever its thread gets to run: before, during or after the job's narration
      joining.add(pool.submit(() -> {
        start.await();
        return readToDone(channel.follow(0));
      }));
      producers.add(pool.submit((Callable<Void>) () -> {
        start.await();
        for (int i = 1; i <= PER_JOB; i++) {
          narrate.job(jobId, "step").human("{} step {}", jobId, i).emit();
          if (i % (PER_JOB / GHOSTS_PER_JOB) == 0) {
            narrate.job("ghost-" + jobId, "step").human("nobody listens").emit();
          }
        }
        channel.finish("{\"job_id\":\"" + jobId + "\",\"status\":\"succeeded\"}");
        return null;
      }));
    }
    start.countDown();

    for (Future<?> p : producers) {
      p.get(60, TimeUnit.SECONDS);
    }
    for (int j = 0; j < JOBS; j++) {
      assertOnlyItsOwnEvents("job-" + j, early.get(j).get(60, TimeUnit.SECONDS));
      assertOnlyItsOwnEvents("job-" + j, joining.get(j).get(60, TimeUnit.SECONDS));
    }
    assertThat(broadcaster.dropped()).isEqualTo((long) JOBS * GHOSTS_PER_JOB);
  }

  private static void assertOnlyItsOwnEvents(String jobId, List<JobEvent> events) {
    assertThat(ids(events)).as("ids of %s", jobId).isEqualTo(range(1, PER_JOB + 1));
    List<Narration> narrations = narrations(events);
    assertThat(narrations).hasSize(PER_JOB).allSatisfy(n -> assertThat(n.jobId()).isEqualTo(jobId));
    for (int i = 0; i < PER_JOB; i++) {
      assertThat(narrations.get(i).human()).isEqualTo(jobId + " step " + (i + 1));
    }
    JobEvent last = events.get(events.size() - 1);
    assertThat(last.event()).isEqualTo(JobEvent.DONE);
    assertThat(last.data()).contains("\"job_id\":\"" + jobId + "\"");
  }
}
