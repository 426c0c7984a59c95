package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.limits.LlamaThreads;
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
    HiveArgs a = HiveArgs.parse(new String[] {"--worker-threads", "3", "--max-spawns", "1",
        "--max-downloads", "4"});

    assertThat(a.limits()).isEqualTo(new HiveLimits(3, 1, 4));
  }

  @Test
  void badLimitsAreNamedWithTheirValue() {
    assertThatThrownBy(() -> HiveArgs.parse(new String[] {"--worker-threads", "0"}))
        .hasMessage("worker threads must be 1..256, got 0");
    assertThatThrownBy(() -> HiveArgs.parse(new String[] {"--max-spawns", "two"}))
        .hasMessage("--max-spawns must be a whole number, got \"two\"");
    assertThatThrownBy(() -> HiveArgs.parse(new String[] {"--max-downloads", "0"}))
        .hasMessage("max downloads must be >= 1, got 0");
  }
}
