package io.rbee.jobs.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.Gap;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A follower never skips events silently: what the server no longer had is one gap event. */
class JobClientGapTest {
  @Test
  void eventsEvictedBeforeTheFollowerAskedAreAnnouncedByOneGapBeforeTheNextEvent()
      throws Exception {
    Broadcaster broadcaster =
        new Broadcaster(new HistoryLimits(10, 1 << 20, Duration.ofMinutes(1), 10));
    JobServer jobs = new JobServer(JobServer.Options.of("hive", Set.of("Status"))
        .withBroadcaster(broadcaster), (op, job) -> {
          for (int i = 1; i <= 50; i++) {
            job.token("t" + i);
          }
        });
    DaemonHttp http = new DaemonHttp("hive", TestToken.TOKEN, jobs::routes).start("127.0.0.1", 0);
    try {
      JobClient client = new JobClient(http.baseUrl(), TestToken.TOKEN);
      String id = client.submit(new Operation.Status()).jobId();
      Awaitility.await().until(() -> broadcaster.find(id).orElseThrow().finished());
      List<SseEvent> events = new CopyOnWriteArrayList<>();

      Done done = client.follow(id, 0, events::add);

      // 10 events kept: the last 10; all before them are gone, and the follower is told so
      long last = broadcaster.find(id).orElseThrow().lastId();
      long firstKept = last - 9;
      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(events.get(0).event()).isEqualTo(JobEvent.GAP);
      assertThat(Json.read(events.get(0).data(), Gap.class))
          .isEqualTo(Gap.of(id, firstKept - 1, firstKept));
      assertThat(events.subList(1, events.size())).extracting(SseEvent::numericId)
          .containsExactlyElementsOf(LongStream.rangeClosed(firstKept, last).boxed().toList());
    } finally {
      http.stop();
      jobs.close();
    }
  }

  @Test
  void theServersOwnGapIsFoldedIntoOneAnnouncementWithOrWithoutAnId() throws Exception {
    String gapNoId = "event: gap\ndata: {\"job_id\":\"job-1\",\"missed\":3,\"first_id\":5}\n\n";
    String gapWithId = "id: 4\nevent: gap\ndata: {\"job_id\":\"job-1\",\"missed\":3,"
        + "\"first_id\":5}\n\n";
    for (String gap : List.of(gapNoId, gapWithId)) {
      String body = "id: 1\nevent: token\ndata: {\"text\":\"a\"}\n\n" + gap
          + "id: 5\nevent: token\ndata: {\"text\":\"e\"}\n\n"
          + "id: 6\nevent: done\ndata: {\"job_id\":\"job-1\",\"status\":\"succeeded\"}\n\n";
      try (CannedServer server = new CannedServer(List.of(CannedServer.Reply.stream(body)))) {
        List<SseEvent> events = new ArrayList<>();

        new JobClient(server.baseUrl(), TestToken.TOKEN).follow("job-1", 0, events::add);

        assertThat(events).extracting(SseEvent::event)
            .containsExactly("token", JobEvent.GAP, "token", "done");
        assertThat(Json.read(events.get(1).data(), Gap.class)).isEqualTo(Gap.of("job-1", 3, 5));
      }
    }
  }

  @Test
  void aGapKeptInTheJobsHistoryIsAnEventLikeAnyOther() throws Exception {
    // a relay's record of a loss further upstream: it has an id and names the upstream job
    String relayed = "id: 2\nevent: gap\ndata: {\"job_id\":\"job-1\",\"missed\":7,"
        + "\"first_id\":20,\"upstream_job_id\":\"job-w\",\"hive_id\":\"box\"}\n\n";
    String body = "id: 1\nevent: token\ndata: {\"text\":\"a\"}\n\n" + relayed
        + "id: 3\nevent: done\ndata: {\"job_id\":\"job-1\",\"status\":\"succeeded\"}\n\n";
    try (CannedServer server = new CannedServer(List.of(CannedServer.Reply.stream(body)))) {
      List<SseEvent> events = new ArrayList<>();

      new JobClient(server.baseUrl(), TestToken.TOKEN).follow("job-1", 0, events::add);

      assertThat(events).extracting(SseEvent::numericId).containsExactly(1L, 2L, 3L);
      assertThat(events.get(1).event()).isEqualTo(JobEvent.GAP);
    }
  }
}
