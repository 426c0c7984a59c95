package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.keeper.queen.QueenRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A command that finds no queen at a loopback URL starts one there, and says so. */
class AutostartTest {
  @Test
  void loopbackQueenNotRunningIsStartedOnThatPortThenTheCommandProceeds() {
    FakeQueen queen = new FakeQueen("http://127.0.0.1:8600");
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher)
        .run("--queen-url", "http://127.0.0.1:8600", "status");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(launcher.starts).containsExactly("8600");
    assertThat(result.errLines().get(0)).isEqualTo("queen not running at http://127.0.0.1:8600; "
        + "starting it (log: /tmp/rbee-test/logs/queen.log)");
    assertThat(queen.submitted).hasSize(1);
    assertThat(queen.calls).startsWith("refused", "healthy");
  }

  @Test
  void queenUrlComesFromTheEnvironmentWhenNotGiven() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher)
        .env("RBEE_QUEEN_URL", "http://localhost:8711/").run("hive", "list");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(launcher.starts).containsExactly("8711");
    assertThat(result.err()).contains("queen not running at http://localhost:8711;");
  }

  @Test
  void runningQueenIsNotStartedAgain() {
    FakeQueen queen = new FakeQueen();
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher).run("status");

    assertThat(result.exitCode()).isZero();
    assertThat(launcher.starts).isEmpty();
    assertThat(result.err()).doesNotContain("starting it");
    // a job goes straight to the queen: /health is asked only when the connection is refused
    assertThat(queen.calls).doesNotContain("healthy");
  }

  @Test
  void withoutAUrlTheQueenThisInstallationStartedIsTheOneAsked() {
    assertThat(urlsAskedByStatus(new Cli())).containsOnly("http://127.0.0.1:8601");
  }

  @Test
  void aGivenUrlWinsOverTheQueenThisInstallationStarted() {
    assertThat(urlsAskedByStatus(new Cli().env("RBEE_QUEEN_URL", "http://127.0.0.1:8702")))
        .containsOnly("http://127.0.0.1:8702");
  }

  /**
   * The queen URLs {@code rbee status} asks through {@code cli} while this installation's
   * queen runs on port 8601 (its pid file says so); the command must succeed, starting none.
   */
  private static List<String> urlsAskedByStatus(Cli cli) {
    FakeQueen queen = new FakeQueen("http://127.0.0.1:8601");
    List<String> asked = new CopyOnWriteArrayList<>();
    FakeLauncher launcher = new FakeLauncher(queen)
        .running(new QueenRecord(4242, 8601, "http://127.0.0.1:8601", false, "now"));

    Cli.Result result = cli.queens(url -> {
      asked.add(url);
      return queen;
    }).launcher(launcher).run("status");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(launcher.starts).isEmpty();
    return asked;
  }

  @Test
  void nonLoopbackQueenThatDoesNotAnswerIsAnErrorNotAStart() {
    FakeQueen queen = new FakeQueen("http://10.0.0.5:8500");
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher)
        .run("--queen-url", "http://10.0.0.5:8500", "status");

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.err()).isEqualTo("error: queen at http://10.0.0.5:8500 is not reachable\n");
    assertThat(launcher.starts).isEmpty();
  }

  @Test
  void noAutostartFlagKeepsTheKeeperFromStartingAQueen() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher).run("status", "--no-autostart");

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(launcher.starts).isEmpty();
    assertThat(result.lastErrLine()).contains("rbee queen start");
  }

  @Test
  void queenUrlThatIsNoHttpUrlIsAUsageError() {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen).run("--queen-url", "localhost:8500", "status");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: queen URL must be an http(s) URL such as "
        + "http://127.0.0.1:8500, got \"localhost:8500\"");
    assertThat(queen.calls).isEmpty();
  }
}
