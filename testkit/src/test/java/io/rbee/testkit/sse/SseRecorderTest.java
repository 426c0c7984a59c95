package io.rbee.testkit.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.Narrator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SseRecorderTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private final Narrator narrate = Narrator.of("hive", broadcaster);
  private JobServer jobs;
  private DaemonHttp http;
  private JobClient client;

  @BeforeEach
  void start() {
    jobs = new JobServer(JobServer.Options.of("hive", Set.of("Status"))
        .withBroadcaster(broadcaster), (op, job) -> {
          job.narrate("hello").human("Hello").emit();
          job.result(Map.of("n", 1));
          job.token("a");
        });
    AccessToken token = AccessToken.generate("this test");
    http = new DaemonHttp("hive", token, jobs::routes).start("127.0.0.1", 0);
    client = new JobClient(http.baseUrl(), token);
  }

  @AfterEach
  void stop() {
    http.stop();
    jobs.close();
  }

  @Test
  void recordsEventsInOrderThenDoneThenTheEnd() throws Exception {
    String id = client.submit(new Operation.Status()).jobId();
    try (SseRecorder rec = SseRecorder.follow(client, id)) {
      assertThat(rec.assertNarration("hello").human()).isEqualTo("Hello");
      assertThat(rec.assertEvent("result").data()).isEqualTo("{\"n\":1}");
      assertThat(rec.assertEvent("token").numericId()).isEqualTo(3);
      Done done = rec.assertDone(JobStatus.SUCCEEDED);
      assertThat(done.jobId()).isEqualTo(id);
      rec.assertExhausted();
    }
  }

  @Test
  void failsWithWhatArrivedInstead() throws Exception {
    String id = client.submit(new Operation.Status()).jobId();
    try (SseRecorder rec = SseRecorder.follow(client, id)) {
      assertThatThrownBy(() -> rec.assertEvent("token"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected event \"token\" but got event \"narration\" (id 1)");
      assertThatThrownBy(() -> rec.assertDone(JobStatus.FAILED))
          .hasMessageContaining("expected the job to end failed but it ended event \"done\"");
      assertThatThrownBy(() -> rec.nextEvent())
          .hasMessageStartingWith("expected an event but the stream ended");
    }
  }

  @Test
  void awaitEventSkipsAndTakeUntilDoneCollects() throws Exception {
    String id = client.submit(new Operation.Status()).jobId();
    try (SseRecorder rec = SseRecorder.follow(client, id)) {
      assertThat(rec.awaitEvent("token").data()).isEqualTo("{\"text\":\"a\"}");
      assertThat(rec.takeUntilDone()).extracting(e -> e.event()).containsExactly("done");
      assertThat(rec.events()).hasSize(4);
    }
    try (SseRecorder rec = SseRecorder.follow(client, id, 2)) {
      assertThat(rec.nextEvent().numericId()).isEqualTo(3);
    }
  }
}
