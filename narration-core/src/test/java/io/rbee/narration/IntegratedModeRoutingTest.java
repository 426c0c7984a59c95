package io.rbee.narration;

import static io.rbee.narration.Followers.narrations;
import static io.rbee.narration.Followers.nextEvent;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The seed's "integrated mode SSE routing" test, on the mechanism itself: the queen creates the
 * job's channel, hive operation code runs on another thread knowing only the job id, and its
 * narration arrives on the queen's subscription through the one process-wide broadcaster.
 */
class IntegratedModeRoutingTest {

  /** Stands in for hive operation code: it never sees a channel, only the caller's job id. */
  static final class HiveStart {
    static final Narrator NARRATE = Narrator.of("hive");

    static void execute(String alias, String jobId) {
      NARRATE.job(jobId, "hive_start").hiveId(alias).human("Starting hive {}", alias)
          .emit();
      NARRATE.job(jobId, "hive_check").hiveId(alias)
          .human("Checking if hive {} is running", alias).emit();
      NARRATE.job(jobId, "hive_spawn").hiveId(alias).progress(1, 1L, "processes")
          .human("Spawned hive {}", alias).emit();
      NARRATE.job(jobId, "hive_ready").hiveId(alias).durationMs(12)
          .human("Hive {} is ready", alias).emit();
    }
  }

  @Test
  void hiveNarrationOnAnotherThreadReachesTheQueensJobChannel() throws Exception {
    // 1. the queen creates the job and its channel
    String jobId = "job-" + UUID.randomUUID();
    JobChannel channel = Broadcaster.global().open(jobId);
    // 2. the queen's SSE endpoint follows it
    Subscription stream = channel.follow(0);
    // a job running at the same time, to prove nothing leaks across
    String otherId = "job-" + UUID.randomUUID();
    JobChannel other = Broadcaster.global().open(otherId);

    // 3. integrated mode: the hive code runs in this process, on its own thread, with the id
    Thread operation = new Thread(() -> HiveStart.execute("localhost", jobId), "hive-operation");
    operation.start();

    // 4. its narration arrives on the queen's stream, in order
    JobEvent first = nextEvent(stream);
    assertThat(first.id()).isEqualTo(1);
    assertThat(first.event()).isEqualTo(JobEvent.NARRATION);
    Narration starting = Json.read(first.data(), Narration.class);
    assertThat(starting.actor()).isEqualTo("hive");
    assertThat(starting.action()).isEqualTo("hive_start");
    assertThat(starting.jobId()).isEqualTo(jobId);
    assertThat(starting.hiveId()).isEqualTo("localhost");
    assertThat(starting.human()).isEqualTo("Starting hive localhost");
    assertThat(Json.read(nextEvent(stream).data(), Narration.class).human())
        .isEqualTo("Checking if hive localhost is running");

    operation.join(Duration.ofSeconds(10).toMillis());
    assertThat(operation.isAlive()).isFalse();
    channel.finish("{\"job_id\":\"" + jobId + "\",\"status\":\"succeeded\"}");
    other.finish("{}");

    List<JobEvent> rest = readToDone(stream);
    assertThat(narrations(rest)).extracting(Narration::action)
        .containsExactly("hive_spawn", "hive_ready");
    assertThat(rest.get(rest.size() - 1).event()).isEqualTo(JobEvent.DONE);
    assertThat(narrations(other.snapshot())).isEmpty();
  }
}
