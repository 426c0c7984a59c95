package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.Subscription;
import io.rbee.testkit.jobs.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's test (sse-routing-analysis.md, "Unit Test: Integrated Mode SSE Routing"): the
 * caller (the queen) creates the job's channel in this process; hive code, handed the caller's
 * job id, narrates onto that channel; a follower of the channel receives it. Hive code never
 * opens a channel of its own.
 */
class IntegratedModeRoutingTest {
  @TempDir Path home;
  private Hive hive;

  @BeforeEach
  void setUp() {
    hive = new Hive(HiveConfig.local(home));
  }

  @AfterEach
  void tearDown() {
    hive.close();
  }

  @Test
  void hiveNarrationReachesTheCallersChannelInIntegratedMode() throws Exception {
    // 1. the queen creates its job's channel on the process-wide broadcaster
    String jobId = "queen-" + UUID.randomUUID();
    JobChannel channel = Broadcaster.global().open(jobId);
    int channelsBefore = Broadcaster.global().size();
    // 2. the queen's SSE endpoint follows it
    Subscription follower = channel.follow(0);
    // 3. the queen calls the hive library with ITS job id, in the background
    TestJob ctx = TestJob.over(channel);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        hive.execute(new Operation.HiveCheck("localhost"), ctx);
      } catch (Throwable t) {
        failure.set(t);
      } finally {
        channel.finish(Json.write(new Done(jobId, failure.get() == null
            ? JobStatus.SUCCEEDED : JobStatus.FAILED, null, null, null)));
      }
    });
    job.start();

    // 4. the follower receives the hive's narration, in order, then the result and done
    List<JobEvent> events = new ArrayList<>();
    for (JobEvent e; (e = follower.next(Duration.ofSeconds(10))) != null; ) {
      events.add(e);
    }
    job.join(5_000);

    assertThat(failure.get()).isNull();
    List<Narration> narration = events.stream()
        .filter(e -> e.event().equals(JobEvent.NARRATION))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
    assertThat(narration).extracting(Narration::action)
        .containsExactly("hive_check_start", "hive_check_home", "hive_check_devices",
            "hive_check_models", "hive_check_workers", "hive_check_done")
        .doesNotHaveDuplicates();
    assertThat(narration).allSatisfy(n -> {
      assertThat(n.jobId()).isEqualTo(jobId);
      assertThat(n.hiveId()).isEqualTo("localhost");
      assertThat(n.actor()).isEqualTo("hive");
    });
    assertThat(narration.get(0).human()).contains(jobId);
    assertThat(events).extracting(JobEvent::event).endsWith(JobEvent.RESULT, JobEvent.DONE);
    assertThat(events).extracting(JobEvent::id)
        .containsExactly(events.stream().map(JobEvent::id).sorted().toArray(Long[]::new));
    HiveCheckReport report =
        Json.read(events.get(events.size() - 2).data(), HiveCheckReport.class);
    assertThat(report.ok()).isTrue();
    assertThat(report.devices()).isGreaterThanOrEqualTo(1);
    // hive code opened no channel of its own
    assertThat(Broadcaster.global().size()).isLessThanOrEqualTo(channelsBefore);
  }

  @Test
  void hiveRunsAsTheHandlerOfTheCallersJobServer() throws Exception {
    // integrated mode through the queen's own JobServer: one job, the queen's id
    JobServer queenJobs =
        new JobServer(JobServer.Options.of("queen", Set.of("HiveCheck")), hive);
    try {
      Submitted s = queenJobs.submit(new Operation.HiveCheck(null));
      JobChannel channel = Broadcaster.global().find(s.jobId()).orElseThrow();
      List<JobEvent> events = new ArrayList<>();
      try (Subscription sub = channel.follow(0)) {
        for (JobEvent e; (e = sub.next(Duration.ofSeconds(10))) != null; ) {
          events.add(e);
        }
      }

      assertThat(events).filteredOn(e -> e.event().equals(JobEvent.NARRATION))
          .extracting(e -> Json.read(e.data(), Narration.class))
          .filteredOn(n -> n.action().startsWith("hive_check_"))
          .hasSize(6)
          .allSatisfy(n -> assertThat(n.jobId()).isEqualTo(s.jobId()));
      Done done = Json.read(events.get(events.size() - 1).data(), Done.class);
      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    } finally {
      queenJobs.close();
    }
  }

  @Test
  void narrationForAJobWithoutAChannelHereIsDroppedNeverMisrouted() throws Exception {
    JobChannel bystander = Broadcaster.global().open("bystander-" + UUID.randomUUID());
    // a job whose channel lives in another broadcaster (another process, as far as the
    // global one knows)
    JobChannel elsewhere = new Broadcaster(HistoryLimits.DEFAULT).open("x-" + UUID.randomUUID());
    long droppedBefore = Broadcaster.global().dropped();

    hive.execute(new Operation.HiveCheck(null), TestJob.over(elsewhere));

    assertThat(Broadcaster.global().dropped() - droppedBefore).isGreaterThanOrEqualTo(6);
    assertThat(bystander.snapshot()).isEmpty();
    assertThat(elsewhere.snapshot()).extracting(JobEvent::event).containsExactly("result");
  }
}
