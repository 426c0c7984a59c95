package io.rbee.queen.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    HistoryConfig d = HistoryConfig.fromEnv(Map.of());
    assertThat(d.enabled()).isTrue();
    assertThat(d.maxJobs()).isEqualTo(10_000);
    assertThat(d.maxAge()).isEqualTo(Duration.ofDays(30));
    assertThat(d.maxBytes()).isEqualTo(512L * 1024 * 1024);
  }

  @Test
  void environmentOverridesEachBound() {
    HistoryConfig c = HistoryConfig.fromEnv(Map.of("RBEE_HISTORY", "off",
        "RBEE_HISTORY_MAX_JOBS", "50", "RBEE_HISTORY_MAX_AGE", "12h",
        "RBEE_HISTORY_MAX_BYTES", "2GiB"));
    assertThat(c.enabled()).isFalse();
    assertThat(c.maxJobs()).isEqualTo(50);
    assertThat(c.maxAge()).isEqualTo(Duration.ofHours(12));
    assertThat(c.maxBytes()).isEqualTo(2L << 30);
  }

  @Test
  void sizesAndAgesReadTheirUnits() {
    assertThat(HistoryConfig.bytes("x", "1048576")).isEqualTo(1 << 20);
    assertThat(HistoryConfig.bytes("x", "64k")).isEqualTo(64 << 10);
    assertThat(HistoryConfig.bytes("x", "512MiB")).isEqualTo(512L << 20);
    assertThat(HistoryConfig.age("x", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(HistoryConfig.age("x", "7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void badValuesNameTheFlagAndWhatItTakes() {
    assertThatThrownBy(() -> HistoryConfig.jobs("--history-max-jobs", "0"))
        .hasMessage("--history-max-jobs must be 1..10000000, got \"0\"");
    assertThatThrownBy(() -> HistoryConfig.age("--history-max-age", "soon"))
        .hasMessageContaining("--history-max-age must be an age such as 90s");
    assertThatThrownBy(() -> HistoryConfig.bytes("--history-max-bytes", "lots"))
        .hasMessageContaining("--history-max-bytes must be a size such as 512MiB");
    assertThatThrownBy(() -> HistoryConfig.fromEnv(Map.of("RBEE_HISTORY", "maybe")))
        .hasMessage("RBEE_HISTORY must be on or off, got \"maybe\"");
  }
}
