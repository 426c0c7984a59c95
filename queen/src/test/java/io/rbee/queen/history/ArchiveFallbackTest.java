package io.rbee.queen.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.sse.SseEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running queen's job server with the SQLite history: a finished job its memory already
 * forgot is still answered, listed and replayed in full, from the history.
 */
class ArchiveFallbackTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");
  @TempDir Path dir;
  private SqliteHistory history;
  private DaemonServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (history != null) {
      history.close();
    }
  }

  @Test
  void aJobMemoryForgotIsAnsweredAndReplayedFromTheHistory() throws Exception {
    history = SqliteHistory.open(dir, HistoryConfig.DEFAULTS);
    // memory keeps one finished job: the second job's end forgets the first at once
    Broadcaster broadcaster = new Broadcaster(new HistoryLimits(1000, 1 << 20,
        Duration.ofHours(1), 1));
    server = DaemonServer.of(JobServer.Options.of("queen", Set.of("Status"))
        .withBroadcaster(broadcaster).withArchive(history), (op, job) -> {
          for (int i = 0; i < 50; i++) {
            job.narrate("step").human("step {}", i).emit();
          }
          job.result(List.of("ok"));
        }, TOKEN).start("127.0.0.1", 0);
    JobClient client = new JobClient(server.baseUrl(), TOKEN);

    List<SseEvent> first = new CopyOnWriteArrayList<>();
    Done firstDone = client.run(new Operation.Status(), first::add);
    String firstId = firstDone.jobId();
    for (int i = 0; i < 3; i++) {
      client.run(new Operation.Status(), e -> {});
    }
    assertThat(broadcaster.find(firstId)).as("memory forgot it").isEmpty();

    JobInfo info = client.status(firstId);
    assertThat(info.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(info.lastEventId()).isEqualTo(52);
    List<SseEvent> replay = new CopyOnWriteArrayList<>();
    Done again = client.follow(firstId, 0, replay::add);
    assertThat(replay).containsExactlyElementsOf(first);
    assertThat(again).isEqualTo(firstDone);
    JobList list = client.get("/v1/jobs", JobList.class);
    assertThat(list.jobs()).hasSize(4).extracting(JobInfo::jobId).endsWith(firstId);
    assertThat(list.history().enabled()).isTrue();
  }
}
