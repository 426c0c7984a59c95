package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.cli.CommandLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** rbee-hive's command line, in the style of every rbee program: message, usage, exit 2. */
class HiveMainArgsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = CommandLines.of(new HiveMain());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void aValueOfTheWrongTypeIsAUsageErrorWithTheUsage() {
    assertThat(run("--port", "nope")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("Invalid value for option '--port': 'nope' is not an int",
        "Usage: rbee-hive");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aPortOutOfRangeIsNamedBeforeAnythingStarts() {
    assertThat(run("--port", "70000")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("--port must be 0..65535, got 70000", "Usage: rbee-hive");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run("--frobnicate")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndExitsZero() {
    assertThat(run("--help")).isEqualTo(ExitCode.OK.code());
    assertThat(out.toString()).startsWith("Usage: rbee-hive").contains("--port");
    assertThat(err.toString()).isEmpty();
  }
}
