package io.rbee.keeper;

import static io.rbee.keeper.FakeQueen.done;
import static io.rbee.keeper.FakeQueen.narration;
import static io.rbee.keeper.FakeQueen.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.JobStatus;
import io.rbee.narration.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every read command honours {@code --json}: one JSON document on stdout for an answer, JSON
 * lines {@code {"id","event","data"}} for a job's stream (as GlobalOptions documents), and
 * nothing else on stdout.
 */
class JsonOutputTest {
  private static final ClusterStatus CLUSTER =
      new ClusterStatus("http://127.0.0.1:8500", false, List.of(), List.of(), List.of());

  /** The read commands whose answer is one document. */
  private static final String[][] DOCUMENTS = {
      {"ps"}, {"queen", "status"}, {"jobs", "status", "job-1"}, {"jobs", "list"},
      {"jobs", "list", "--status", "failed", "--limit", "5"},
      {"worker", "logs", "worker-1"},
  };

  /** The read commands that run a job: its stream as JSON lines. */
  private static final String[][] STREAMS = {
      {"status"}, {"hive", "status"}, {"hive", "list"}, {"hive", "check"},
      {"model", "list"}, {"model", "get", "tiny"}, {"worker", "list"},
      {"worker", "get", "worker-1"}, {"jobs", "logs", "job-1"}, {"jobs", "follow", "job-1"},
  };

  @Test
  void answersAreOneJsonDocument() throws Exception {
    for (String[] command : DOCUMENTS) {
      Cli.Result r = cli().run(withJson(command));
      assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r).isIn(0, 4);
      JsonNode doc = Json.MAPPER.readTree(r.out());
      assertThat(doc.isContainerNode()).as(String.join(" ", command)).isTrue();
      assertThat(r.out().strip().lines()).as(String.join(" ", command)).hasSize(1);
    }
  }

  @Test
  void streamsAreJsonLinesEndingWithDone() {
    for (String[] command : STREAMS) {
      Cli.Result r = cli().run(withJson(command));
      assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r).isZero();
      List<JsonNode> lines = r.outLines().stream().map(JsonOutputTest::json).toList();
      assertThat(lines).as(String.join(" ", command)).allSatisfy(l ->
          assertThat(l.has("id") && l.has("event") && l.has("data")).isTrue());
      assertThat(lines.getLast().get("event").asText()).isEqualTo("done");
    }
  }

  @Test
  void jobsListJsonIsTheApisAnswer() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(cli().run("--json", "jobs", "list").out());

    assertThat(doc.get("jobs").get(0).get("job_id").asText()).isEqualTo("job-2");
    assertThat(doc.get("history").get("enabled").asBoolean()).isFalse();
  }

  @Test
  void workerLogsJsonHasTheLines() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(cli().run("--json", "worker", "logs", "w-1").out());

    assertThat(doc.get("worker_id").asText()).isEqualTo("w-1");
    assertThat(doc.get("lines")).extracting(JsonNode::asText).containsExactly("line 1", "line 2");
  }

  @Test
  void jobsListTableHasTheColumnsAndSaysWhenHistoryIsOff() {
    Cli.Result r = cli().run("jobs", "list");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines().get(0).split(" +")).containsExactly(
        "ID", "OPERATION", "STATUS", "CREATED", "DURATION", "ERROR");
    assertThat(r.outLines().get(1).split(" {2,}")).containsExactly(
        "job-2", "HiveStatus", "failed", "2026-01-01T00:00:05Z", "250ms", "no hive nope");
    assertThat(r.outLines().get(2)).startsWith("job-1  Status      running  2026-01-01T00:00:00Z")
        .endsWith("…  -"); // still running: its duration so far
    assertThat(r.err()).contains("keeps no job history (turned off)");
  }

  @Test
  void jobsListChecksItsFiltersBeforeAsking() {
    FakeQueen queen = queen();
    Cli.Result badLimit = Cli.with(queen).run("jobs", "list", "--limit", "0");
    Cli.Result badStatus = Cli.with(queen).run("jobs", "list", "--status", "done");

    assertThat(badLimit.exitCode()).isEqualTo(2);
    assertThat(badLimit.err()).contains("--limit must be 1..1000, got 0");
    assertThat(badStatus.exitCode()).isEqualTo(2);
    assertThat(badStatus.err()).contains("got \"done\"");
    assertThat(queen.calls).noneMatch(c -> c.startsWith("jobs"));
  }

  private static Cli cli() {
    return Cli.with(queen());
  }

  private static FakeQueen queen() {
    return new FakeQueen().events(narration("queen", "status", "1 hive"), result(CLUSTER),
        done(JobStatus.SUCCEEDED, null, null));
  }

  private static String[] withJson(String[] command) {
    String[] args = new String[command.length + 1];
    args[0] = "--json";
    System.arraycopy(command, 0, args, 1, command.length);
    return args;
  }

  private static JsonNode json(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
