package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ExitCode;
import io.rbee.testkit.cli.CliRun;
import org.junit.jupiter.api.Test;

/** rbee-hive's command line, in the style of every rbee program: message, usage, exit 2. */
class HiveMainArgsTest {
  @Test
  void aValueOfTheWrongTypeIsAUsageErrorWithTheUsage() {
    CliRun r = CliRun.of(new HiveMain(), "--port", "nope");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("Invalid value for option '--port': 'nope' is not an int",
        "Usage: rbee-hive");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aPortOutOfRangeIsNamedBeforeAnythingStarts() {
    CliRun r = CliRun.of(new HiveMain(), "--port", "70000");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("--port must be 0..65535, got 70000", "Usage: rbee-hive");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    CliRun r = CliRun.of(new HiveMain(), "--port", "1", "--frobnicate");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void aHeartbeatIntervalOutOfRangeIsNamedBeforeAnythingStarts() {
    CliRun r = CliRun.of(new HiveMain(), "--port", "1", "--queen-url", "http://127.0.0.1:8500",
        "--heartbeat-ms", "5");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("--heartbeat-ms must be 100..60000, got 5", "Usage: rbee-hive");
  }

  @Test
  void aQueenUrlThatIsNotHttpIsNamed() {
    CliRun r = CliRun.of(new HiveMain(), "--port", "1", "--queen-url", "127.0.0.1:8500");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("--queen-url must be an http(s) URL, got \"127.0.0.1:8500\"");
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndExitsZero() {
    CliRun r = CliRun.of(new HiveMain(), "--help");
    assertThat(r.exit()).isEqualTo(ExitCode.OK.code());
    assertThat(r.out()).startsWith("Usage: rbee-hive").contains("--port", "--queen-url",
        "--heartbeat-ms");
    assertThat(r.err()).isEmpty();
  }
}
