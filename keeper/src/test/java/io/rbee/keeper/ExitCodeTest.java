package io.rbee.keeper;

import static io.rbee.keeper.FakeQueen.done;
import static io.rbee.keeper.FakeQueen.errorNarration;
import static io.rbee.keeper.FakeQueen.narration;
import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import org.junit.jupiter.api.Test;

/** The exit code says how the job ended; the reason is one line on stderr, never a trace. */
class ExitCodeTest {
  @Test
  void succeededJobExitsZero() {
    FakeQueen queen = new FakeQueen().events(narration("hive", "hive_check", "all good"),
        done(JobStatus.SUCCEEDED, null, null));

    Cli.Result result = Cli.with(queen).run("hive", "check");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.err()).contains("all good").doesNotContain("error");
  }

  @Test
  void failedJobExitsOneWithTheErrorAsLastLine() {
    FakeQueen queen = new FakeQueen().events(
        errorNarration("hive", "job_failed", "model_not_found", "no model \"x\""),
        done(JobStatus.FAILED, "no model \"x\" in the catalog of hive localhost", null));

    Cli.Result result = Cli.with(queen).run("model", "get", "x");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.lastErrLine())
        .isEqualTo("error: no model \"x\" in the catalog of hive localhost");
    assertThat(result.err()).contains("ERROR no model \"x\"");
  }

  @Test
  void cancelledJobExitsThree() {
    FakeQueen queen = new FakeQueen().events(done(JobStatus.CANCELLED, null, null));

    Cli.Result result = Cli.with(queen).run("infer", "--model", "demo", "hi");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.lastErrLine()).contains("cancelled");
  }

  @Test
  void streamBrokenBeforeDoneExitsFourWithOneLineReason() {
    FakeQueen queen = new FakeQueen().events(narration("queen", "job_start", "starting"))
        .breakStream();

    Cli.Result result = Cli.with(queen).run("status");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
    assertThat(result.lastErrLine())
        .isEqualTo("error: stream of job job-1 from http://127.0.0.1:8500 broke before done: "
            + "connection refused");
    assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unreachableQueenWithAutostartOffExitsFour() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher).env("RBEE_NO_AUTOSTART", "1")
        .run("status");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).contains("queen at http://127.0.0.1:8500 is not reachable");
    assertThat(launcher.starts).isEmpty();
    assertThat(queen.submitted).isEmpty();
  }

  @Test
  void usageErrorExitsTwoWithUsage() {
    Cli.Result result = Cli.with(new FakeQueen()).run("worker", "spawn", "--device", "cpu");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required option: '--model=M'")
        .contains("Usage: rbee worker spawn");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void unknownCommandExitsTwo() {
    Cli.Result result = Cli.with(new FakeQueen()).run("fly");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Unmatched argument").contains("Usage: rbee");
  }

  @Test
  void invalidOperationValueIsAUsageErrorFoundBeforeAnyQueenIsAsked() {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen)
        .run("infer", "--model", "demo", "--max-tokens", "0", "hello");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("error: max_tokens must be 1..32768, got 0");
    assertThat(queen.submitted).isEmpty();
    assertThat(queen.calls).doesNotContain("healthy");
  }

  @Test
  void parentCommandWithoutSubcommandIsAUsageError() {
    Cli.Result result = Cli.with(new FakeQueen()).run("model");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required subcommand");
  }

  @Test
  void helpListsTheExitCodes() {
    Cli.Result result = Cli.with(new FakeQueen()).run("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Exit codes:")
        .containsPattern("0\\s+the job succeeded")
        .containsPattern("4\\s+queen unreachable");
  }
}
