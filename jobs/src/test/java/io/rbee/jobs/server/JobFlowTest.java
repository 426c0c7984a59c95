package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
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
      daemon.narrator.action("step").jobId(job.jobId()).human("Working on {}", op.name()).emit();
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
    assertThat(done).isEqualTo(new Done(submitted.jobId(), JobStatus.SUCCEEDED, null,
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
      throw new OperationException("model_not_found", "model \"tiny\" is not in the catalog");
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
}
