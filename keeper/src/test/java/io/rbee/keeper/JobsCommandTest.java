package io.rbee.keeper;

import static io.rbee.keeper.FakeQueen.done;
import static io.rbee.keeper.FakeQueen.narration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.JobStatus;
import io.rbee.narration.Json;
import org.junit.jupiter.api.Test;

/** {@code rbee jobs ...}: any operation as a job, and jobs by id. */
class JobsCommandTest {
  @Test
  void submitPrintsTheJobIdOnStderrAndFollows() {
    FakeQueen queen = new FakeQueen().events(narration("queen", "status", "0 hives"),
        done(JobStatus.SUCCEEDED, null, null));

    Cli.Result result = Cli.with(queen).run("jobs", "submit", "{\"Status\": {}}");

    assertThat(result.exitCode()).isZero();
    assertThat(result.errLines().get(0)).isEqualTo("job job-1");
    assertThat(result.err()).contains("0 hives");
    assertThat(result.out()).isEmpty();
    assertThat(queen.followed).containsExactly("job-1@0");
  }

  @Test
  void detachPrintsJobIdAndStreamUrlAsJsonWithoutFollowing() throws Exception {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen)
        .run("jobs", "submit", "--detach", "{\"operation\": {\"HiveCheck\": {}}}");

    assertThat(result.exitCode()).isZero();
    JsonNode printed = Json.MAPPER.readTree(result.out());
    assertThat(printed.get("job_id").asText()).isEqualTo("job-1");
    assertThat(printed.get("sse_url").asText()).isEqualTo("/v1/jobs/job-1/stream");
    assertThat(queen.followed).isEmpty();
  }

  @Test
  void malformedOperationJsonIsAUsageError() {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen).run("jobs", "submit", "{\"Status\": ");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: operation is not valid JSON");
    assertThat(queen.submitted).isEmpty();
  }

  @Test
  void followResumesAfterTheGivenEventId() {
    FakeQueen queen = new FakeQueen().events(narration("queen", "a", "first"),
        narration("queen", "b", "second"), narration("queen", "c", "third"),
        done(JobStatus.SUCCEEDED, null, null));

    Cli.Result result = Cli.with(queen).run("jobs", "follow", "job-7", "--after", "2");

    assertThat(result.exitCode()).isZero();
    assertThat(queen.followed).containsExactly("job-7@2");
    assertThat(result.err()).contains("third").doesNotContain("first").doesNotContain("second");
  }

  @Test
  void followOfAFailedJobExitsOne() {
    FakeQueen queen = new FakeQueen().events(done(JobStatus.FAILED, "worker died", null));

    Cli.Result result = Cli.with(queen).run("jobs", "follow", "job-3");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.lastErrLine()).isEqualTo("error: worker died");
  }

  @Test
  void statusShowsTheJobAsKeyValueLines() {
    Cli.Result result = Cli.with(new FakeQueen()).run("jobs", "status", "job-9");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("job_id:        job-9\n")
        .contains("status:        succeeded\n").contains("last_event_id: 3\n");
  }

  @Test
  void statusWithJsonIsOneJsonObject() throws Exception {
    Cli.Result result = Cli.with(new FakeQueen()).run("--json", "jobs", "status", "job-9");

    assertThat(result.outLines()).hasSize(1);
    assertThat(Json.MAPPER.readTree(result.out()).get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void statusOfAnUnknownJobExitsOneWithTheQueensMessage() {
    Cli.Result result = Cli.with(new FakeQueen()).run("jobs", "status", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("error: not found on queen at http://127.0.0.1:8500: no job \"nope\"\n");
  }

  @Test
  void cancelAsksTheQueenAndShowsTheJob() {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen).run("jobs", "cancel", "job-4");

    assertThat(result.exitCode()).isZero();
    assertThat(queen.calls).contains("cancel job-4");
    assertThat(result.out()).contains("status:        cancelled");
  }

  @Test
  void workerLogsPrintsTheTextAsIs() {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen).run("worker", "logs", "--tail", "5", "w-2");

    assertThat(result.exitCode()).isZero();
    assertThat(queen.calls).contains("logs localhost w-2 5");
    assertThat(result.out()).isEqualTo("line 1\nline 2\n");
  }

  @Test
  void logsOfARunningJobPrintsWhatThereIsAndSaysHowToFollowTheRest() {
    FakeQueen queen = new FakeQueen().events(narration("queen", "a", "first"),
        narration("queen", "b", "second"), narration("queen", "c", "third"),
        narration("queen", "d", "fourth"), done(JobStatus.SUCCEEDED, null, null));
    queen.jobStatus = JobStatus.RUNNING; // with 3 events so far

    Cli.Result result = Cli.with(queen).run("jobs", "logs", "job-7");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).contains("first", "second", "third").doesNotContain("fourth");
    assertThat(result.lastErrLine()).isEqualTo(
        "job job-7 is running; follow the rest with: rbee jobs follow job-7 --after 3");
    assertThat(queen.calls).contains("replay job-7 up to 3");
  }

  @Test
  void logsOfAFinishedJobEndsWithItsOutcome() {
    FakeQueen queen = new FakeQueen().events(narration("queen", "a", "first"),
        done(JobStatus.FAILED, "no such hive", null));

    Cli.Result result = Cli.with(queen).run("jobs", "logs", "job-7");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.lastErrLine()).isEqualTo("error: no such hive");
  }
}
