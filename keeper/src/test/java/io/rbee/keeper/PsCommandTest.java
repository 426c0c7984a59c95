package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.narration.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rbee ps} against a queen without a network: what it prints from a cluster status. */
class PsCommandTest {
  static WorkerInfo worker(String id, String hive, String model, String state, Boolean busy,
      Long idleMs, Long keepAliveMs) {
    return new WorkerInfo(id, hive, model, "cpu", state, 1L, 9301, "http://127.0.0.1:9301",
        "2026-01-01T00:00:00Z", "/logs/" + id + ".log", null, 4, busy, busy == null ? null : 0,
        idleMs, keepAliveMs);
  }

  static FakeQueen queenWith(WorkerInfo... workers) {
    ClusterStatus status = new ClusterStatus("http://127.0.0.1:8500", true, List.of(
        new HiveInfo("blue", "daemon", "running", "http://127.0.0.2:9000", 7L, null, "fresh",
            500L)), List.of(workers), List.of());
    return new FakeQueen().eventsFor("Status",
        FakeQueen.narration("queen", "status", "1 hive"), FakeQueen.result(status),
        FakeQueen.done(JobStatus.SUCCEEDED, null, Map.of()));
  }

  @Test
  void psShowsEachLoadedWorkerWithItsIdleTimeAndWhenItUnloads() {
    FakeQueen queen = queenWith(
        worker("worker-0000000a", "blue", "story", "ready", false, 3_000L, 300_000L),
        worker("worker-0000000b", "blue", "demo", "ready", true, 0L, 0L),
        worker("worker-0000000c", "blue", "tiny", "ready", false, 60_000L, -1L),
        worker("worker-0000000d", "blue", "gone", "stopped", null, null, null),
        worker("worker-0000000e", "blue", "next", "starting", null, null, null));

    Cli.Result r = Cli.with(queen).run("ps");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(queen.submitted).containsExactly(new Operation.Status());
    assertThat(r.out().lines().toList()).containsExactly(
        "MODEL  HIVE  WORKER           DEVICE  STATE     LOAD  IDLE  UNLOADS",
        "demo   blue  worker-0000000b  cpu     ready     busy  -     after this request",
        "next   blue  worker-0000000e  cpu     starting  -     -     -",
        // 3 s reported half a second ago: 3.5 s idle of 5 min
        "story  blue  worker-0000000a  cpu     ready     idle  3s    in 4m56s",
        "tiny   blue  worker-0000000c  cpu     ready     idle  1m    never");
    assertThat(r.err()).doesNotContain("1 hive"); // the Status job's narration is not shown
  }

  @Test
  void psJsonPrintsTheLoadedWorkersAsTheApiHasThem() throws Exception {
    FakeQueen queen = queenWith(
        worker("worker-0000000a", "blue", "story", "ready", false, 3_000L, 300_000L),
        worker("worker-0000000d", "blue", "gone", "failed", null, null, null));

    Cli.Result r = Cli.with(queen).run("--json", "ps");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode list = Json.MAPPER.readTree(r.out());
    assertThat(list.isArray()).isTrue();
    assertThat(list).singleElement().satisfies(w -> {
      assertThat(w.get("worker_id").asText()).isEqualTo("worker-0000000a");
      assertThat(w.get("idle_ms").asLong()).isEqualTo(3_000);
      assertThat(w.get("keep_alive_ms").asLong()).isEqualTo(300_000);
    });
  }

  @Test
  void psSaysSoWhenNoModelIsLoaded() {
    Cli.Result r = Cli.with(queenWith()).run("ps");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("No model is loaded");
  }
}
