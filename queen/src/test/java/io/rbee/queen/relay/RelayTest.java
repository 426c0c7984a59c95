package io.rbee.queen.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RelayedFailureException;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Narration;
import io.rbee.testkit.jobs.TestJob;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay against a real job server over HTTP, as the queen uses it towards a hive. */
class RelayTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  private DaemonHttp http;
  private JobServer server;

  private JobClient remote(OperationHandler handler) {
    server = new JobServer(JobServer.Options.of("hive", Set.of("HiveCheck")), handler);
    http = new DaemonHttp("hive", TOKEN, server::routes).start("127.0.0.1", 0);
    return new JobClient(http.baseUrl(), TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
    http.stop();
  }

  @Test
  void remoteEventsArriveInOrderRehomedToTheLocalJobWithTheirActorKept() throws Exception {
    JobClient client = remote((op, job) -> {
      for (int i = 1; i <= 5; i++) {
        job.narrate("step_" + i).human("step {}", i).emit();
      }
      job.result(Map.of("ok", true));
      job.stats(Map.of("n", 5));
    });
    TestJob local = TestJob.open();

    var done = new Relay(client, "box").run(new Operation.HiveCheck("box"), local);

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(local.narrations()).extracting(Narration::action)
        .containsExactly("step_1", "step_2", "step_3", "step_4", "step_5");
    assertThat(local.narrations()).allSatisfy(n -> {
      assertThat(n.actor()).isEqualTo("hive");
      assertThat(n.jobId()).isEqualTo(local.jobId());
      assertThat(n.hiveId()).isEqualTo("box");
    });
    assertThat(local.results()).containsExactly("{\"ok\":true}");
    assertThat(local.channel().snapshot()).extracting(e -> e.event()).doesNotContain(JobEvent.DONE);
    assertThat(Relay.statsOf(done)).containsEntry("n", 5);
  }

  @Test
  void aRemoteFailureKeepsItsKindAndMessage() {
    JobClient client = remote((op, job) -> {
      throw new OperationException(ErrorKind.MODEL_NOT_FOUND, "no model \"x\" on hive box");
    });
    TestJob local = TestJob.open();

    RelayedFailureException e = catchThrowableOfType(RelayedFailureException.class,
        () -> new Relay(client, "box").run(new Operation.HiveCheck("box"), local));

    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
    assertThat(e.getMessage()).isEqualTo("no model \"x\" on hive box");
    assertThat(local.narrations("job_failed")).singleElement()
        .satisfies(n -> assertThat(n.actor()).isEqualTo("hive"));
  }

  @Test
  void cancellingTheLocalJobCancelsTheRemoteOne() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch remoteCancelled = new CountDownLatch(1);
    JobClient client = remote((op, job) -> {
      job.onCancel(remoteCancelled::countDown);
      started.countDown();
      remoteCancelled.await(30, TimeUnit.SECONDS); // a long remote operation, until cancelled
      throw new JobCancelledException();
    });
    TestJob local = TestJob.open();
    CompletableFuture<Object> relay = CompletableFuture.supplyAsync(() -> {
      try {
        return new Relay(client, "box").run(new Operation.HiveCheck("box"), local);
      } catch (Exception e) {
        return e;
      }
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    local.cancel();

    assertThat(remoteCancelled.await(10, TimeUnit.SECONDS)).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isDone);
    assertThat(relay.get()).isInstanceOf(JobCancelledException.class);
  }

}
