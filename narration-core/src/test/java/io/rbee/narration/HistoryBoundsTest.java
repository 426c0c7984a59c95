package io.rbee.narration;

import static io.rbee.narration.Followers.ids;
import static io.rbee.narration.Followers.nextEvent;
import static io.rbee.narration.Followers.range;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bound policy: per-job history limits, and forgetting finished jobs. */
class HistoryBoundsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void pastMaxEventsTheOldestAreEvictedAndDoneIsKept() throws Exception {
    JobChannel job = new Broadcaster(new HistoryLimits(5, 1 << 20, HOUR, 10)).open("job-1");
    for (int i = 1; i <= 10; i++) {
      job.send(JobEvent.NARRATION, "{\"n\":" + i + "}");
    }
    job.finish("{\"status\":\"succeeded\"}");

    assertThat(ids(job.snapshot())).isEqualTo(range(7, 11));
    assertThat(job.snapshot().get(4).event()).isEqualTo(JobEvent.DONE);
  }

  @Test
  void aFollowerFromTheStartIsToldWhatItMissedAndContinuesFromTheOldestKept() throws Exception {
    JobChannel job = new Broadcaster(new HistoryLimits(5, 1 << 20, HOUR, 10)).open("job-1");
    for (int i = 1; i <= 10; i++) {
      job.send(JobEvent.NARRATION, "{\"n\":" + i + "}");
    }
    job.finish("{}");
    Subscription late = job.follow(0);

    JobEvent first = nextEvent(late);

    assertThat(first.id()).isEqualTo(7);
    assertThat(late.missed()).isEqualTo(6);
    assertThat(ids(readToDone(late))).isEqualTo(range(8, 11));
    assertThat(late.missed()).isEqualTo(6);
    assertThat(late.exhausted()).isTrue();
  }

  @Test
  void aSlowFollowerFallsBehindTheBoundAndIsToldHowFarWithoutSlowingTheJob() throws Exception {
    JobChannel job = new Broadcaster(new HistoryLimits(3, 1 << 20, HOUR, 10)).open("job-1");
    Subscription slow = job.follow(0);
    job.send(JobEvent.NARRATION, "{}");
    assertThat(nextEvent(slow).id()).isEqualTo(1);

    for (int i = 0; i < 20; i++) {
      assertThat(job.send(JobEvent.TOKEN, "{}")).isEqualTo(i + 2); // never blocks on `slow`
    }

    assertThat(nextEvent(slow).id()).isEqualTo(19);
    assertThat(slow.missed()).isEqualTo(17);
    assertThat(nextEvent(slow).id()).isEqualTo(20);
  }

  @Test
  void resumingIntoEvictedHistoryCountsOnlyTheEventsActuallyMissed() throws Exception {
    JobChannel job = new Broadcaster(new HistoryLimits(4, 1 << 20, HOUR, 10)).open("job-1");
    for (int i = 1; i <= 9; i++) {
      job.send(JobEvent.NARRATION, "{}");
    }
    job.finish("{}");

    Subscription resumed = job.follow(3);

    assertThat(ids(readToDone(resumed))).isEqualTo(range(7, 10));
    assertThat(resumed.missed()).isEqualTo(3); // 4, 5 and 6
  }

  @Test
  void pastMaxBytesTheOldestAreEvicted() {
    // an event of 300 characters counts 673 bytes: its text, its encoded frame, 64 for objects
    JobChannel job = new Broadcaster(new HistoryLimits(1000, 2048, HOUR, 10)).open("job-1");
    String data = "x".repeat(300);

    for (int i = 0; i < 10; i++) {
      job.send(JobEvent.NARRATION, data);
    }

    List<JobEvent> kept = job.snapshot();
    assertThat(job.bytesKept()).isLessThanOrEqualTo(2048);
    assertThat(kept).hasSizeBetween(2, 3);
    assertThat(ids(kept)).isEqualTo(range(11 - kept.size(), 10));
  }

  @Test
  void theDoneEventIsKeptEvenWhenItAloneExceedsMaxBytes() throws Exception {
    JobChannel job = new Broadcaster(new HistoryLimits(1000, 1024, HOUR, 10)).open("job-1");
    job.send(JobEvent.NARRATION, "{}");
    String bigError = "{\"error\":\"" + "e".repeat(4000) + "\"}";

    long done = job.finish(bigError);

    assertThat(job.snapshot()).containsExactly(new JobEvent(done, JobEvent.DONE, bigError));
    Subscription late = job.follow(0);
    assertThat(ids(readToDone(late))).containsExactly(2L);
    assertThat(late.missed()).isEqualTo(1);
  }

  @Test
  void finishedJobsPastMaxFinishedJobsAreForgottenOldestFirstAndRunningJobsAreKept() {
    Broadcaster b = new Broadcaster(new HistoryLimits(10, 4096, HOUR, 2));
    JobChannel running = b.open("running");
    b.open("a").finish("{}");
    b.open("b").finish("{}");
    b.open("c").finish("{}");

    b.sweep();

    assertThat(b.find("a")).isEmpty();
    assertThat(b.find("b")).isPresent();
    assertThat(b.find("c")).isPresent();
    assertThat(b.find("running")).containsSame(running);
    assertThat(b.size()).isEqualTo(3);
  }

  @Test
  void openingAJobForgetsFinishedJobsPastTheBound() {
    Broadcaster b = new Broadcaster(new HistoryLimits(10, 4096, HOUR, 1));
    b.open("a").finish("{}");
    b.open("b").finish("{}");

    b.open("c");

    assertThat(b.find("a")).isEmpty();
    assertThat(b.find("b")).isPresent();
    assertThat(b.find("c")).isPresent();
  }

  @Test
  void finishedJobsAreForgottenPastTheirRetentionButRunningJobsNever() {
    Broadcaster b = new Broadcaster(new HistoryLimits(10, 4096, Duration.ZERO, 100));
    b.open("finished").finish("{}");
    b.open("running");

    await().atMost(Duration.ofSeconds(5)).until(() -> {
      b.sweep();
      return b.find("finished").isEmpty();
    });
    assertThat(b.find("running")).isPresent();
  }

  @Test
  void finishedJobsWithinRetentionAreKeptForLateFollowers() throws Exception {
    Broadcaster b = new Broadcaster(new HistoryLimits(10, 4096, HOUR, 100));
    b.open("job-1").finish("{}");

    b.sweep();

    assertThat(ids(readToDone(b.find("job-1").orElseThrow().follow(0)))).containsExactly(1L);
  }

  @Test
  void aFollowerAlreadyReadingAForgottenJobStillReadsItToTheEnd() throws Exception {
    Broadcaster b = new Broadcaster(new HistoryLimits(10, 4096, HOUR, 1));
    JobChannel job = b.open("old");
    job.send(JobEvent.NARRATION, "{}");
    Subscription reading = job.follow(0);
    job.finish("{}");
    b.open("newer").finish("{}");
    b.sweep();

    assertThat(b.find("old")).isEmpty();
    assertThat(ids(readToDone(reading))).containsExactly(1L, 2L);
  }

  @Test
  void limitsRejectUnusableValuesAndNameThem() {
    assertThatThrownBy(() -> new HistoryLimits(1, 4096, HOUR, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> new HistoryLimits(10, 1023, HOUR, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1023");
    assertThatThrownBy(() -> new HistoryLimits(10, 4096, HOUR, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> new HistoryLimits(10, 4096, null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finishedRetention");
    assertThatThrownBy(() -> new HistoryLimits(10, 4096, Duration.ofSeconds(-1), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
  }
}
