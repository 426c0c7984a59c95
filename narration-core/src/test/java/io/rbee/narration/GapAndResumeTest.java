package io.rbee.narration;

import static io.rbee.narration.Followers.ids;
import static io.rbee.narration.Followers.nextEvent;
import static io.rbee.narration.Followers.range;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where a follower's events are gone it is told so, and resuming at the end gets the end. */
class GapAndResumeTest {
  private static final HistoryLimits FIVE = new HistoryLimits(5, 1 << 20, Duration.ofHours(1), 10);

  private static JobChannel finishedWith(int events, HistoryLimits limits) {
    JobChannel job = new Broadcaster(limits).open("job-1");
    for (int i = 1; i <= events; i++) {
      job.send(JobEvent.TOKEN, "{\"text\":\"t" + i + "\"}");
    }
    job.finish("{\"status\":\"succeeded\"}");
    return job;
  }

  @Test
  void theFirstEventAfterEvictedOnesCarriesAGapWithTheCountAndTheFirstIdStillKept()
      throws Exception {
    JobChannel job = finishedWith(20, FIVE); // keeps 17..21

    Subscription late = job.follow(3);

    JobEvent first = nextEvent(late);
    assertThat(first.id()).isEqualTo(17);
    assertThat(late.gap()).isEqualTo(new Gap("job-1", 13, 17)); // 4..16
    assertThat(nextEvent(late).id()).isEqualTo(18);
    assertThat(late.gap()).as("only the first event after the gap carries it").isNull();
  }

  @Test
  void aFollowerWhoseEventsAreAllKeptSeesNoGap() throws Exception {
    JobChannel job = finishedWith(3, FIVE);
    Subscription s = job.follow(0);

    for (JobEvent e : readToDone(s)) {
      assertThat(s.gap()).as("gap before %s", e.id()).isNull();
    }
  }

  @Test
  void theGapIsJsonWithJobIdMissedAndFirstIdAndAnSseEventWithoutAnId() {
    Gap gap = new Gap("job-1", 16, 17);

    assertThat(gap.json()).isEqualTo("{\"job_id\":\"job-1\",\"missed\":16,\"first_id\":17}");
    assertThat(new String(gap.frame(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
        "event: gap\ndata: {\"job_id\":\"job-1\",\"missed\":16,\"first_id\":17}\n\n");
    assertThat(Gap.parse(gap.json())).isEqualTo(gap);
  }

  @Test
  void resumingAtTheEndOfAFinishedJobGetsItsDoneAgain() throws Exception {
    JobChannel job = finishedWith(5, FIVE); // done is 6

    assertThat(ids(readToDone(job.follow(6)))).containsExactly(6L);
    assertThat(readToDone(job.follow(6)).get(0).event()).isEqualTo(JobEvent.DONE);
  }

  @Test
  void resumingPastTheEndOfAFinishedJobGetsItsDoneWithItsOwnId() throws Exception {
    JobChannel job = finishedWith(5, FIVE);

    assertThat(ids(readToDone(job.follow(1_000)))).containsExactly(6L);
  }

  @Test
  void resumingJustBeforeTheEndGetsOnlyDone() throws Exception {
    JobChannel job = finishedWith(5, FIVE);

    assertThat(ids(readToDone(job.follow(5)))).isEqualTo(range(6, 6));
  }

  @Test
  void resumingPastTheNewestEventOfARunningJobIsRefusedNamingTheNewestId() {
    JobChannel job = new Broadcaster(FIVE).open("job-1");
    job.send(JobEvent.TOKEN, "{}");
    job.send(JobEvent.TOKEN, "{}");

    assertThatThrownBy(() -> job.follow(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event id 3").hasMessageContaining("newest event (2)");
    assertThat(job.followers()).isZero();
  }

  @Test
  void resumingAtTheNewestEventOfARunningJobWaitsForTheNextOne() throws Exception {
    JobChannel job = new Broadcaster(FIVE).open("job-1");
    job.send(JobEvent.TOKEN, "{}");
    Subscription s = job.follow(1);

    assertThat(s.next(Duration.ofMillis(50))).isNull();
    job.send(JobEvent.TOKEN, "{}");
    assertThat(nextEvent(s).id()).isEqualTo(2);
  }

  @Test
  void lagCountsOnlyEventsSentSinceTheFollowerAttached() throws Exception {
    JobChannel job = new Broadcaster(HistoryLimits.DEFAULT).open("job-1");
    for (int i = 0; i < 100; i++) {
      job.send(JobEvent.TOKEN, "{}");
    }
    Subscription late = job.follow(0);
    assertThat(late.lag()).as("a replay is not lag").isZero();

    for (int i = 0; i < 30; i++) {
      job.send(JobEvent.TOKEN, "{}");
    }
    assertThat(late.lag()).isEqualTo(30);
    for (int i = 0; i < 110; i++) {
      nextEvent(late);
    }
    assertThat(late.lag()).isEqualTo(20);
  }
}
