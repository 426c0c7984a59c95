package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.keeper.queen.QueenRecord;
import io.rbee.narration.Json;
import org.junit.jupiter.api.Test;

/** {@code rbee queen start|stop|status} against a launcher that starts no process. */
class QueenCommandsTest {
  @Test
  void startLaunchesOnTheGivenPortAndSaysWhereAndItsLog() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher)
        .run("queen", "start", "--port", "9911", "--local-hive");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(launcher.starts).containsExactly("9911 local-hive");
    assertThat(result.err()).contains("queen running at http://127.0.0.1:9911 (pid 4242, "
        + "with the localhost hive inside)").contains("log: /tmp/rbee-test/logs/queen.log");
  }

  @Test
  void startUsesTheLoopbackQueenUrlsPortByDefault() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher)
        .run("--queen-url", "http://localhost:8777", "queen", "start");

    assertThat(result.exitCode()).isZero();
    assertThat(launcher.starts).containsExactly("8777");
  }

  @Test
  void startWhenOurQueenRunsSaysSoAndExitsZero() {
    FakeQueen queen = new FakeQueen();
    FakeLauncher launcher = new FakeLauncher(queen)
        .running(new QueenRecord(77, 8500, "http://127.0.0.1:8500", false, "t"));

    Cli.Result result = Cli.with(queen).launcher(launcher).run("queen", "start");

    assertThat(result.exitCode()).isZero();
    assertThat(launcher.starts).isEmpty();
    assertThat(result.err()).startsWith("queen already running at http://127.0.0.1:8500 (pid 77");
  }

  @Test
  void startWhenAnotherQueenAnswersThereSaysSoAndExitsZero() {
    FakeQueen queen = new FakeQueen();
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher).run("queen", "start");

    assertThat(result.exitCode()).isZero();
    assertThat(launcher.starts).isEmpty();
    assertThat(result.err()).contains("a queen already answers at http://127.0.0.1:8500");
  }

  @Test
  void startWithJsonPrintsThePidFileRecord() throws Exception {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;
    FakeLauncher launcher = new FakeLauncher(queen);

    Cli.Result result = Cli.with(queen).launcher(launcher).run("queen", "start", "--json");

    QueenRecord rec = Json.MAPPER.readValue(result.out(), QueenRecord.class);
    assertThat(rec.port()).isEqualTo(8500);
    assertThat(result.out()).contains("\"local_hive\":false", "\"started_at\"");
  }

  @Test
  void badPortIsAUsageError() {
    Cli.Result result = Cli.with(new FakeQueen()).run("queen", "start", "--port", "0");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--port must be 1..65535, got 0");
  }

  @Test
  void stopSaysHowTheQueenWasStopped() {
    FakeLauncher launcher = new FakeLauncher()
        .running(new QueenRecord(77, 8500, "http://127.0.0.1:8500", false, "t"));

    Cli.Result result = Cli.with(new FakeQueen()).launcher(launcher).run("queen", "stop");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEqualTo("queen (pid 77) stopped (SIGTERM)\n");
    assertThat(launcher.running()).isEmpty();
    assertThat(launcher.keptHives).isFalse();
  }

  @Test
  void stopWithKeepHivesTellsTheLauncher() {
    FakeLauncher launcher = new FakeLauncher()
        .running(new QueenRecord(77, 8500, "http://127.0.0.1:8500", false, "t"));

    Cli.Result result = Cli.with(new FakeQueen()).launcher(launcher)
        .run("queen", "stop", "--keep-hives");

    assertThat(result.exitCode()).isZero();
    assertThat(launcher.keptHives).isTrue();
  }

  @Test
  void stopWhenNotRunningSaysSoAndExitsZero() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;

    Cli.Result result = Cli.with(queen).run("queen", "stop");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEqualTo("queen not running\n");
  }

  @Test
  void statusOfARunningQueenExitsZeroWithItsFacts() {
    FakeLauncher launcher = new FakeLauncher()
        .running(new QueenRecord(77, 8500, "http://127.0.0.1:8500", true, "t"));

    Cli.Result result = Cli.with(new FakeQueen()).launcher(launcher).run("queen", "status");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("running:    true").contains("health:     ok")
        .contains("pid:        77").contains("local_hive: true");
  }

  @Test
  void statusOfNoQueenExitsFour() {
    FakeQueen queen = new FakeQueen();
    queen.healthy = false;

    Cli.Result result = Cli.with(queen).run("queen", "status");

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.out()).contains("running: false").contains("health:  not answering");
  }
}
