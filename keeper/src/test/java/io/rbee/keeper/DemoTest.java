package io.rbee.keeper;

import static io.rbee.keeper.FakeQueen.done;
import static io.rbee.keeper.FakeQueen.narration;
import static io.rbee.keeper.FakeQueen.result;
import static io.rbee.keeper.FakeQueen.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.keeper.queen.QueenRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rbee demo}: four jobs in order, headed, tokens alone on stdout. */
class DemoTest {
  private static FakeQueen demoQueen() {
    return new FakeQueen()
        .events(narration("hive", "step", "fine"), done(JobStatus.SUCCEEDED, null, null))
        .eventsFor("ModelDownload", result(Map.of("id", "demo-7", "size_bytes", 12000)),
            done(JobStatus.SUCCEEDED, null, null))
        .eventsFor("Infer", token("Once upon a time"), token(", a bee"),
            done(JobStatus.SUCCEEDED, null, Map.of("tokens_out", 2)));
  }

  @Test
  void runsTheFourStepsInOrderAndInfersWithTheDownloadedModel() {
    FakeQueen queen = demoQueen();

    Cli.Result result = Cli.with(queen).run("demo");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(queen.submitted).extracting(Operation::name)
        .containsExactly("HiveStart", "HiveCheck", "ModelDownload", "Infer");
    Operation.Infer infer = (Operation.Infer) queen.submitted.get(3);
    assertThat(infer.model()).isEqualTo("demo-7");
    assertThat(infer.prompt()).isEqualTo("Once upon a time");
    assertThat(infer.maxTokens()).isEqualTo(48);
    assertThat(infer.temperature()).isEqualTo(0.0);
    assertThat(result.err()).contains("== 1/4 start the local hive", "== 2/4 check the hive",
        "== 3/4 download the demo model", "== 4/4 generate with demo-7");
    assertThat(result.out()).endsWith("Once upon a time, a bee");
    assertThat(result.lastErrLine()).contains("keep running", "rbee queen stop");
  }

  @Test
  void skipsHiveStartWhenTheQueenRunsTheLocalHive() {
    FakeQueen queen = demoQueen();
    FakeLauncher launcher = new FakeLauncher(queen)
        .running(new QueenRecord(1, 8500, "http://127.0.0.1:8500", true, "t"));

    Cli.Result result = Cli.with(queen).launcher(launcher).run("demo");

    assertThat(result.exitCode()).isZero();
    assertThat(queen.submitted).extracting(Operation::name)
        .containsExactly("HiveCheck", "ModelDownload", "Infer");
    assertThat(result.err()).contains("skipped: the queen runs the localhost hive");
  }

  @Test
  void stopsAtTheFirstStepThatFails() {
    FakeQueen queen = demoQueen()
        .eventsFor("HiveCheck", done(JobStatus.FAILED, "hive localhost is not running", null));

    Cli.Result result = Cli.with(queen).run("demo");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(queen.submitted).extracting(Operation::name)
        .containsExactly("HiveStart", "HiveCheck");
    assertThat(result.lastErrLine()).isEqualTo("error: hive localhost is not running");
  }

  @Test
  void startsTheQueenFirstWhenNoneRuns() {
    FakeQueen queen = demoQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher).run("demo");

    assertThat(result.exitCode()).isZero();
    assertThat(launcher.starts).containsExactly("8500");
    assertThat(result.errLines().get(0)).startsWith("queen not running at ");
  }
}
