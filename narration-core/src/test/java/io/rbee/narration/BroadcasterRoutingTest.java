package io.rbee.narration;

import static io.rbee.narration.Followers.narrations;
import static io.rbee.narration.Followers.nextEvent;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Routing by job id: the one guarantee every stream depends on. */
class BroadcasterRoutingTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private final Narrator narrate = Narrator.of("queen", broadcaster);

  @Test
  void narrationWithAJobIdReachesOnlyThatJobsChannel() throws Exception {
    JobChannel x = broadcaster.open("job-x");
    JobChannel y = broadcaster.open("job-y");

    narrate.job("job-x", "hive_start").human("for x").emit();
    narrate.job("job-y", "hive_start").human("for y").emit();
    narrate.job("job-x", "hive_stop").human("for x again").emit();
    x.finish("{}");
    y.finish("{}");

    assertThat(narrations(readToDone(x.follow(0))))
        .extracting(Narration::jobId, Narration::human)
        .containsExactly(
            tuple("job-x", "for x"),
            tuple("job-x", "for x again"));
    assertThat(narrations(readToDone(y.follow(0))))
        .extracting(Narration::human)
        .containsExactly("for y");
    assertThat(broadcaster.dropped()).isZero();
  }

  @Test
  void narrationForAJobWithoutAChannelIsDroppedCountedAndDeliveredNowhere() throws Exception {
    JobChannel bystander = broadcaster.open("job-bystander");
    Subscription watching = bystander.follow(0);

    narrate.job("job-ghost", "worker_spawn").human("lost").emit();
    narrate.job("job-ghost", "worker_spawn").human("lost again").emit();

    assertThat(broadcaster.dropped()).isEqualTo(2);
    assertThat(broadcaster.find("job-ghost")).isEmpty();
    assertThat(bystander.lastId()).isZero();
    assertThat(watching.next(Duration.ofMillis(50))).isNull();
  }

  @Test
  void narrationWithoutAJobIdGoesOnlyToTheLog() throws Exception {
    JobChannel bystander = broadcaster.open("job-bystander");
    String marker = "startup-" + UUID.randomUUID();

    narrate.withoutJob("queen_start").human("listening, {}", marker).emit();

    assertThat(bystander.lastId()).isZero();
    assertThat(broadcaster.dropped()).isZero();
    assertThat(CapturedLog.linesContaining(marker))
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("INFO narration: [-] queen queen_start"));
  }

  @Test
  void everyRoutedNarrationIsAlsoLoggedWithItsJobIdAndLevel() {
    String jobId = "job-" + UUID.randomUUID();
    broadcaster.open(jobId);

    narrate.job(jobId, "model_download").error("download_failed").human("boom").emit();

    assertThat(CapturedLog.linesContaining("[" + jobId + "]"))
        .containsExactly("ERROR narration: [" + jobId + "] queen model_download: boom");
  }

  @Test
  void narrationAfterTheJobFinishedIsDroppedAndCounted() throws Exception {
    JobChannel job = broadcaster.open("job-done");
    narrate.job("job-done", "step").human("before").emit();
    job.finish("{\"status\":\"succeeded\"}");

    narrate.job("job-done", "step").human("after").emit();

    assertThat(broadcaster.dropped()).isEqualTo(1);
    List<JobEvent> events = readToDone(job.follow(0));
    assertThat(events).extracting(JobEvent::event).containsExactly("narration", "done");
    assertThat(narrations(events)).extracting(Narration::human).containsExactly("before");
  }

  @Test
  void narrationForAJobThatWasForgottenIsDropped() throws Exception {
    Broadcaster tight = new Broadcaster(new HistoryLimits(10, 4096, Duration.ofHours(1), 1));
    Narrator n = Narrator.of("hive", tight);
    tight.open("old").finish("{}");
    tight.open("new").finish("{}"); // opening sweeps: "old" exceeds maxFinishedJobs = 1
    tight.sweep();

    n.job("old", "late").human("too late").emit();

    assertThat(tight.find("old")).isEmpty();
    assertThat(tight.dropped()).isEqualTo(1);
  }

  @Test
  void aJobIdCanBeOpenedOnlyOnce() {
    broadcaster.open("job-once");

    assertThatThrownBy(() -> broadcaster.open("job-once"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job-once");
    assertThat(broadcaster.size()).isEqualTo(1);
  }

  @Test
  void blankOrMissingJobIdsCannotBeOpened() {
    assertThatThrownBy(() -> broadcaster.open(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> broadcaster.open(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(broadcaster.size()).isZero();
  }

  @Test
  void findReturnsTheOpenChannelAndNothingForUnknownOrNullIds() {
    JobChannel job = broadcaster.open("job-find");

    assertThat(broadcaster.find("job-find")).containsSame(job);
    assertThat(broadcaster.find("job-other")).isEmpty();
    assertThat(broadcaster.find(null)).isEmpty();
  }

  @Test
  void operationResultsAndTokensShareTheJobsIdSequenceWithNarration() throws Exception {
    JobChannel job = broadcaster.open("job-mixed");
    Subscription s = job.follow(0);

    narrate.job("job-mixed", "infer").human("starting").emit();
    long token = job.send(JobEvent.TOKEN, "{\"text\":\"Hi\"}");
    long result = job.send(JobEvent.RESULT, "{\"workers\":[]}");
    long done = job.finish("{\"status\":\"succeeded\"}");

    assertThat(List.of(token, result, done)).containsExactly(2L, 3L, 4L);
    assertThat(nextEvent(s).event()).isEqualTo(JobEvent.NARRATION);
    assertThat(nextEvent(s)).isEqualTo(new JobEvent(2, JobEvent.TOKEN, "{\"text\":\"Hi\"}"));
    assertThat(nextEvent(s)).isEqualTo(new JobEvent(3, JobEvent.RESULT, "{\"workers\":[]}"));
    assertThat(nextEvent(s).event()).isEqualTo(JobEvent.DONE);
  }

  @Test
  void theProcessHasOneGlobalBroadcaster() {
    assertThat(Broadcaster.global()).isSameAs(Broadcaster.global());
    assertThat(Broadcaster.global().limits()).isEqualTo(HistoryLimits.DEFAULT);
  }
}
