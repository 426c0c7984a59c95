package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.Done;
import io.rbee.jobs.HistoryStatus;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/jobs} from memory, its filters, and replay of a job only the archive has. */
class JobListTest {
  private TestDaemon daemon;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void listsJobsNewestFirstAndFiltersThem() throws Exception {
    daemon = new TestDaemon((op, job) -> {
      job.narrate("step").human("working").emit();
      if (op instanceof Operation.HiveCheck) {
        release.await();
      }
    });
    String first = daemon.client.submit(TestDaemon.status()).jobId();
    daemon.client.follow(first, 0, e -> {});
    String second = daemon.client.submit(TestDaemon.status()).jobId();
    daemon.client.follow(second, 0, e -> {});
    String running = daemon.client.submit(new Operation.HiveCheck("localhost")).jobId();

    JobList all = daemon.client.get("/v1/jobs", JobList.class);
    assertThat(all.jobs()).extracting(JobInfo::jobId).containsExactly(running, second, first);
    assertThat(all.history()).isEqualTo(HistoryStatus.MEMORY_ONLY);
    JsonNode history = Http.get(daemon.baseUrl() + "/v1/jobs").json().get("history");
    assertThat(history.toString()).isEqualTo("{\"enabled\":false,\"path\":null,"
        + "\"reason\":\"this daemon keeps jobs in memory only\"}");

    assertThat(daemon.client.get("/v1/jobs?status=succeeded&limit=1", JobList.class).jobs())
        .extracting(JobInfo::jobId).containsExactly(second);
    assertThat(daemon.client.get("/v1/jobs?operation=HiveCheck", JobList.class).jobs())
        .extracting(JobInfo::jobId).containsExactly(running);
    assertThat(daemon.client.get("/v1/jobs?status=queued,running&since=1h", JobList.class)
        .jobs()).extracting(JobInfo::jobId).containsExactly(running);
    assertThat(daemon.client.get("/v1/jobs?since=2999-01-01T00:00:00Z", JobList.class).jobs())
        .isEmpty();
  }

  @Test
  void badFilterIs400InvalidFilterNamingWhatItTakes() throws Exception {
    daemon = new TestDaemon((op, job) -> {});
    for (String query : List.of("status=done", "operation=Nope", "since=yesterday",
        "limit=0", "limit=1001", "limit=ten")) {
      Http.Answer a = Http.get(daemon.baseUrl() + "/v1/jobs?" + query);
      assertThat(a.status()).as(query).isEqualTo(400);
      JsonNode body = a.json().get("error");
      assertThat(body.get("code").asText()).isEqualTo("invalid_filter");
      assertThat(body.get("param").asText()).isEqualTo(query.substring(0, query.indexOf('=')));
      assertThat(body.get("message").asText()).as(query)
          .contains(query.substring(0, query.indexOf('=')))
          .contains("got \"" + query.substring(query.indexOf('=') + 1) + "\"");
    }
  }

  @Test
  void jobKnownOnlyToTheArchiveAnswersAndReplaysWithGapAndDone() throws Exception {
    String id = "job-stored";
    JobInfo row = new JobInfo(id, "Status", JobStatus.FAILED, Instant.now().toString(),
        Instant.now().toString(), "gone", "queen_restarted", 5);
    // ids 3 and 4 were never stored, nor was done (5): a gap, then done rebuilt from the row
    List<JobEvent> events = List.of(new JobEvent(1, "narration", "{\"human\":\"a\"}"),
        new JobEvent(2, "result", "{\"x\":1}"));
    JobArchive archive = new JobArchive() {
      @Override
      public HistoryStatus status() {
        return HistoryStatus.on("/tmp/jobs.db");
      }

      @Override
      public List<JobInfo> list(JobFilter filter) {
        return filter.matches(row) ? List.of(row) : List.of();
      }

      @Override
      public Optional<JobInfo> info(String jobId) {
        return id.equals(jobId) ? Optional.of(row) : Optional.empty();
      }

      @Override
      public List<JobEvent> events(String jobId, long afterId, int max) {
        return events.stream().filter(e -> e.id() > afterId).limit(max).toList();
      }
    };
    daemon = new TestDaemon((op, job) -> {}, o -> o.withArchive(archive));

    JobList list = daemon.client.get("/v1/jobs", JobList.class);
    assertThat(list.jobs()).containsExactly(row);
    assertThat(list.history()).isEqualTo(HistoryStatus.on("/tmp/jobs.db"));
    assertThat(daemon.client.status(id)).isEqualTo(row);

    List<SseEvent> seen = new CopyOnWriteArrayList<>();
    Done done = daemon.client.follow(id, 0, seen::add);
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.errorKind()).isEqualTo("queen_restarted");
    List<String> shape = new ArrayList<>();
    for (SseEvent e : seen) {
      shape.add(e.event() + ":" + e.id());
    }
    assertThat(shape).containsExactly("narration:1", "result:2", "gap:null", "done:5");
    assertThat(Json.read(seen.get(2).data(), io.rbee.narration.Gap.class).missed()).isEqualTo(2);

    List<SseEvent> resumed = new CopyOnWriteArrayList<>();
    daemon.client.follow(id, 5, resumed::add);
    assertThat(resumed).extracting(SseEvent::event).containsExactly("done");
  }
}
