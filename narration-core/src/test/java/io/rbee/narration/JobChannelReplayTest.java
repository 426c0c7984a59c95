package io.rbee.narration;

import static io.rbee.narration.Followers.ids;
import static io.rbee.narration.Followers.nextEvent;
import static io.rbee.narration.Followers.range;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Late followers, several followers, resume: every follower gets every event it asks for. */
class JobChannelReplayTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private final JobChannel job = broadcaster.open("job-1");

  private void runJob(int narrations) {
    for (int i = 1; i <= narrations; i++) {
      job.send(JobEvent.NARRATION, "{\"n\":" + i + "}");
    }
    job.finish("{\"status\":\"succeeded\"}");
  }

  @Test
  void aFollowerWhoArrivesAfterTheJobFinishedGetsEveryEventFromTheStart() throws Exception {
    runJob(5);

    List<JobEvent> events = readToDone(job.follow(0));

    assertThat(ids(events)).isEqualTo(range(1, 6));
    assertThat(events.get(0).data()).isEqualTo("{\"n\":1}");
    assertThat(events.get(5)).isEqualTo(new JobEvent(6, "done", "{\"status\":\"succeeded\"}"));
  }

  @Test
  void severalFollowersOfOneJobEachGetEveryEvent() throws Exception {
    Subscription first = job.follow(0);
    job.send(JobEvent.NARRATION, "{\"n\":1}");
    Subscription second = job.follow(0);
    job.send(JobEvent.NARRATION, "{\"n\":2}");
    assertThat(nextEvent(first).id()).isEqualTo(1); // first reads ahead, second has not read yet
    Subscription third = job.follow(0);
    runJob(3);

    List<JobEvent> a = readToDone(first);
    List<JobEvent> b = readToDone(second);
    List<JobEvent> c = readToDone(third);

    assertThat(ids(a)).isEqualTo(range(2, 6));
    assertThat(ids(b)).isEqualTo(range(1, 6));
    assertThat(c).isEqualTo(b);
    assertThat(job.followers()).isEqualTo(3);
  }

  @Test
  void resumingAfterIdNGivesExactlyTheEventsAfterN() throws Exception {
    runJob(9);

    for (long n = 0; n <= 9; n++) {
      assertThat(ids(readToDone(job.follow(n)))).as("after %d", n).isEqualTo(range(n + 1, 10));
    }
    // after the end: done again, so a reconnecting client learns the job ended
    assertThat(ids(readToDone(job.follow(10)))).containsExactly(10L);
  }

  @Test
  void resumingWhileTheJobRunsContinuesLive() throws Exception {
    job.send(JobEvent.NARRATION, "{\"n\":1}");
    job.send(JobEvent.NARRATION, "{\"n\":2}");
    job.send(JobEvent.NARRATION, "{\"n\":3}");
    Subscription resumed = job.follow(2);

    assertThat(nextEvent(resumed).id()).isEqualTo(3);
    job.send(JobEvent.NARRATION, "{\"n\":4}");
    job.finish("{}");

    assertThat(ids(readToDone(resumed))).containsExactly(4L, 5L);
    assertThat(resumed.missed()).isZero();
  }

  @Test
  void resumingAfterTheLastEventOfAFinishedJobGetsDoneAgainThenIsExhausted() throws Exception {
    runJob(2);

    Subscription resumed = job.follow(3);

    assertThat(resumed.exhausted()).isFalse();
    assertThat(nextEvent(resumed).event()).isEqualTo(JobEvent.DONE);
    assertThat(resumed.exhausted()).isTrue();
    assertThat(resumed.next(Duration.ofMinutes(1))).isNull();
  }

  @Test
  void aNegativeResumeIdReadsFromTheStart() throws Exception {
    runJob(1);

    assertThat(ids(readToDone(job.follow(-7)))).containsExactly(1L, 2L);
  }

  @Test
  void aSnapshotHoldsTheKeptEventsOldestFirst() {
    runJob(2);

    assertThat(job.snapshot()).extracting(JobEvent::id).containsExactly(1L, 2L, 3L);
    assertThat(job.lastId()).isEqualTo(3);
    assertThat(job.jobId()).isEqualTo("job-1");
    assertThat(job.createdAt()).isBeforeOrEqualTo(job.finishedAt());
  }
}
