package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A download job followed on another thread, for tests that break its hive mid-transfer. */
final class Downloading {
  private Downloading() {}

  /**
   * Follows {@code jobId} to its end on another thread and returns once the job narrated
   * {@code download_progress} (asserting that it did within 30 s): the transfer is under way.
   */
  static CompletableFuture<Done> follow(JobClient client, String jobId) throws Exception {
    CountDownLatch downloading = new CountDownLatch(1);
    CompletableFuture<Done> done = CompletableFuture.supplyAsync(() -> {
      try {
        return client.follow(jobId, 0, e -> {
          if (e.event().equals(JobEvent.NARRATION)
              && e.data().contains("\"download_progress\"")) {
            downloading.countDown();
          }
        });
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    assertThat(downloading.await(30, TimeUnit.SECONDS)).as("download started").isTrue();
    return done;
  }
}
