package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.cli.CommandLines;
import io.rbee.jobs.limits.LlamaThreads;
import io.rbee.testkit.cli.CliRun;
import org.junit.jupiter.api.Test;

class HiveArgsTest {
  @Test
  void limitsDefaultToHalfTheCoresAndTwoSpawnsAndTwoDownloads() {
    HiveLimits d = HiveLimits.defaults();

    assertThat(d.workerThreads()).isEqualTo(
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    assertThat(d.maxSpawns()).isEqualTo(2);
    assertThat(d.maxDownloads()).isEqualTo(2);
    assertThat(LlamaThreads.defaultFor(1)).isEqualTo(1);
    assertThat(LlamaThreads.defaultFor(2)).isEqualTo(1);
    assertThat(LlamaThreads.defaultFor(16)).isEqualTo(8);
  }

  @Test
  void limitsAreReadFromTheCommandLine() {
    HiveMain main = new HiveMain();
    CommandLines.of(main).parseArgs("--worker-threads", "3", "--max-spawns", "1",
        "--max-downloads", "4");

    assertThat(main.args.limits()).isEqualTo(new HiveLimits(3, 1, 4));
  }

  @Test
  void loadedWorkersAreUnlimitedAndKeptFiveMinutesUnlessTold() {
    HiveMain main = new HiveMain();
    CommandLines.of(main).parseArgs();
    assertThat(main.args.limits().maxWorkers()).isZero();
    assertThat(main.args.limits().workerKeepAlive()).isEqualTo(KeepAlive.DEFAULT);

    HiveMain told = new HiveMain();
    CommandLines.of(told).parseArgs("--max-workers", "1", "--keep-alive", "2s");

    assertThat(told.args.limits().maxWorkers()).isEqualTo(1);
    assertThat(told.args.limits().workerKeepAlive().millis()).isEqualTo(2_000);
  }

  @Test
  void badLimitsAreUsageErrorsNamedWithTheirValue() {
    assertThat(usageError("--worker-threads", "0"))
        .contains("worker threads must be 1..256, got 0", "Usage: rbee-hive");
    assertThat(usageError("--max-spawns", "two"))
        .contains("Invalid value for option '--max-spawns': 'two' is not an int");
    assertThat(usageError("--max-downloads", "0"))
        .contains("max downloads must be >= 1, got 0");
    assertThat(usageError("--max-workers=-1"))
        .contains("max workers must be >= 0 (0: no limit), got -1");
    assertThat(usageError("--keep-alive", "soon"))
        .contains("--keep-alive must be a duration", "got \"soon\"");
  }

  private static String usageError(String... args) {
    CliRun r = CliRun.of(new HiveMain(), args);
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    return r.err();
  }
}
