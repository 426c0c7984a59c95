package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.Submitted;
import io.rbee.narration.Json;
import io.rbee.narration.Level;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobFlowTest {
  private TestDaemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void submittedJobStreamsNarrationResultTokenThenDoneInOrder() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      job.narrate("step").human("Working on {}", op.name()).emit();
      job.result(Map.of("answer", 42));
      job.token("Hel");
      job.token("lo");
      job.stats(Map.of("tokens_out", 2));
    });

    Submitted submitted = daemon.client.submit(TestDaemon.status());
    assertThat(submitted.jobId()).startsWith("job-");
    assertThat(submitted.sseUrl()).isEqualTo("/v1/jobs/" + submitted.jobId() + "/stream");

    List<SseEvent> events = new CopyOnWriteArrayList<>();
    Done done = daemon.client.follow(submitted.jobId(), 0, events::add);

    assertThat(events).extracting(SseEvent::event)
        .containsExactly("narration", "result", "token", "token", "done");
    assertThat(events).extracting(SseEvent::numericId).containsExactly(1L, 2L, 3L, 4L, 5L);
    Narration n = Json.read(events.get(0).data(), Narration.class);
    assertThat(n.jobId()).isEqualTo(submitted.jobId());
    assertThat(n.human()).isEqualTo("Working on Status");
    assertThat(events.get(1).data()).isEqualTo("{\"answer\":42}");
    assertThat(events.get(2).data()).isEqualTo("{\"text\":\"Hel\"}");
    assertThat(done).isEqualTo(new Done(submitted.jobId(), JobStatus.SUCCEEDED, null, null,
        Map.of("tokens_out", 2)));

    JobInfo info = daemon.client.status(submitted.jobId());
    assertThat(info.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(info.operation()).isEqualTo("Status");
    assertThat(info.lastEventId()).isEqualTo(5);
    assertThat(info.finishedAt()).isNotNull();
  }

  @Test
  void operationExceptionNarratesErrorThenDoneFailed() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      throw new OperationException(ErrorKind.MODEL_NOT_FOUND, "model \"tiny\" is not in the catalog");
    });

    List<SseEvent> events = new CopyOnWriteArrayList<>();
    Done done = daemon.client.run(TestDaemon.status(), events::add);

    assertThat(events).extracting(SseEvent::event).containsExactly("narration", "done");
    Narration n = Json.read(events.get(0).data(), Narration.class);
    assertThat(n.level()).isEqualTo(Level.ERROR);
    assertThat(n.action()).isEqualTo("job_failed");
    assertThat(n.errorKind()).isEqualTo("model_not_found");
    assertThat(n.human()).isEqualTo("model \"tiny\" is not in the catalog");
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.error()).isEqualTo("model \"tiny\" is not in the catalog");
  }

  @Test
  void handlerThrowingAnErrorStillEndsWithExactlyOneDoneFailed() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      throw new StackOverflowError();
    });

    List<SseEvent> events = new CopyOnWriteArrayList<>();
    Done done = daemon.client.run(TestDaemon.status(), events::add);

    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.error()).isEqualTo("StackOverflowError");
    assertThat(Json.read(events.get(0).data(), Narration.class).errorKind())
        .isEqualTo("internal");
    assertThat(events).filteredOn(e -> e.event().equals("done")).hasSize(1);
  }

  @Test
  void relayedNarrationIsRehomedToThisJobAndOtherEventsPassThrough() throws Exception {
    Narration foreign = new Narration("hive", "model_download", null, "Downloading",
        "job-elsewhere", Level.INFO, "2026-01-01T00:00:00Z", "gpu1", null, null, null, null,
        null, null);
    daemon = new TestDaemon((op, job) -> {
      job.relay("narration", Json.write(foreign));
      job.relay("token", "{\"text\":\"hi\"}");
      assertThatThrownBy(() -> job.relay("done", "{}"))
          .isInstanceOf(IllegalArgumentException.class);
    });

    List<SseEvent> events = new CopyOnWriteArrayList<>();
    Done done = daemon.client.run(TestDaemon.status(), events::add);

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(events).extracting(SseEvent::event).containsExactly("narration", "token", "done");
    Narration relayed = Json.read(events.get(0).data(), Narration.class);
    assertThat(relayed).isEqualTo(foreign.withJobId(done.jobId()));
    assertThat(events.get(1).data()).isEqualTo("{\"text\":\"hi\"}");
  }

  @Test
  void inProcessSubmitRefusesWhatPostRefuses() {
    daemon = new TestDaemon((op, job) -> {});

    assertThatThrownBy(() -> daemon.jobs.submit(new Operation.ModelList(null)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("unknown_operation");
        });
    assertThatThrownBy(() -> daemon.jobs.submit(new Operation.WorkerSpawn(null, "", null)))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.code()).isEqualTo("invalid_operation"));
    assertThat(daemon.broadcaster.size()).isZero();
  }
}
