package io.rbee.testkit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading back a scrape: samples, labels with escapes, special values, sums by label. */
class MetricsTextTest {
  private static final String SCRAPE = """
      # HELP rbee_jobs_total Jobs that ended
      # TYPE rbee_jobs_total counter
      rbee_jobs_total{daemon="queen",operation="Infer",status="succeeded"} 2.0
      rbee_jobs_total{daemon="queen",operation="Infer",status="failed"} 1.0
      rbee_jobs_total{daemon="worker",operation="Infer",status="succeeded"} 2.0
      rbee_odd{text="a \\"quoted\\", odd, one"} 4
      rbee_wait_bucket{le="+Inf"} 3
      rbee_download_bytes_total 1234
      """;

  @Test
  void valuesAreSummedOverTheSamplesThatHaveTheLabels() {
    MetricsText m = MetricsText.parse(SCRAPE);

    assertThat(m.value("rbee_jobs_total", "daemon", "queen")).isEqualTo(3);
    assertThat(m.value("rbee_jobs_total", "operation", "Infer", "status", "succeeded"))
        .isEqualTo(4);
    assertThat(m.value("rbee_download_bytes_total")).isEqualTo(1234);
    assertThat(m.value("rbee_odd", "text", "a \"quoted\", odd, one")).isEqualTo(4);
    assertThat(m.value("rbee_wait_bucket", "le", "+Inf")).isEqualTo(3);
    assertThat(m.has("rbee_jobs_total", "daemon", "hive")).isFalse();
    assertThat(m.value("rbee_absent")).isZero();
  }

  @Test
  void aLineThatIsNotASampleFailsNamingIt() {
    assertThatThrownBy(() -> MetricsText.parse("rbee_x{a=\"1\"} many\n"))
        .hasMessageContaining("rbee_x{a=\"1\"} many");
  }
}
