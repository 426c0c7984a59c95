package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobConcurrencyTest {
  private static final int JOBS = 20;
  private static final int EVENTS = 50;
  private TestDaemon daemon;

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void twentyJobsInParallelEachSeeOnlyTheirOwnEvents() throws Exception {
    CountDownLatch allRunning = new CountDownLatch(JOBS);
    daemon = new TestDaemon((op, job) -> {
      String who = ((Operation.HiveCheck) op).hiveId();
      allRunning.countDown();
      allRunning.await(); // every job runs at the same time as every other
      for (int i = 0; i < EVENTS; i++) {
        job.narrate("tick").human("{} {}", who, i).emit();
        job.token(who + ":" + i);
      }
    });

    ExecutorService followers = Executors.newFixedThreadPool(JOBS);
    try {
      List<Future<List<SseEvent>>> results = new ArrayList<>();
      for (int j = 0; j < JOBS; j++) {
        String who = "h" + j;
        results.add(followers.submit(() -> {
          List<SseEvent> events = new CopyOnWriteArrayList<>();
          Done done = daemon.client.run(new Operation.HiveCheck(who), events::add);
          assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
          return events;
        }));
      }
      for (int j = 0; j < JOBS; j++) {
        String who = "h" + j;
        List<SseEvent> events = results.get(j).get(30, TimeUnit.SECONDS);
        assertThat(events).hasSize(2 * EVENTS + 1);
        String jobId = Json.read(events.get(events.size() - 1).data(), Done.class).jobId();
        for (int i = 0; i < EVENTS; i++) {
          Narration n = Json.read(events.get(2 * i).data(), Narration.class);
          assertThat(n.jobId()).isEqualTo(jobId);
          assertThat(n.human()).isEqualTo(who + " " + i);
          assertThat(events.get(2 * i + 1).data())
              .isEqualTo("{\"text\":\"" + who + ":" + i + "\"}");
        }
        assertThat(events).extracting(SseEvent::numericId)
            .isSorted().doesNotHaveDuplicates().startsWith(1L);
      }
    } finally {
      followers.shutdownNow();
    }
  }

  @Test
  void threeHundredFollowersOfOneJobAreServedAtOnce() throws Exception {
    int followers = 300; // above Javalin's default pool of 250 threads
    CountDownLatch release = new CountDownLatch(1);
    daemon = new TestDaemon((op, job) -> {
      release.await();
      job.token("go");
    });
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    var channel = daemon.broadcaster.find(id).orElseThrow();

    ExecutorService pool = Executors.newFixedThreadPool(followers);
    try {
      List<Future<Done>> results = new ArrayList<>();
      for (int i = 0; i < followers; i++) {
        results.add(pool.submit(() -> daemon.client.follow(id, 0, e -> {})));
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
          .until(() -> channel.followers() == followers);
      release.countDown();
      for (Future<Done> r : results) {
        assertThat(r.get(20, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.SUCCEEDED);
      }
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
