package io.rbee.jobs.metrics;

import static io.rbee.jobs.metrics.MetricValues.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Gauges read from live state at each scrape, while their sources are tracked. */
class LiveGaugeTest {
  private static final LiveGauge GAUGE = LiveGauge.register("rbee_test_live_things",
      "Things of the live gauge test", "kind");

  @Test
  void eachScrapeReadsTheSourcesAndAddsUpTheSameLabels() {
    AtomicInteger things = new AtomicInteger(2);
    LiveGauge.Registration one = GAUGE.track(sink -> sink.value(things.get(), "a"));
    LiveGauge.Registration two = GAUGE.track(sink -> {
      sink.value(3, "a");
      sink.value(1, "b");
    });
    try {
      assertThat(value("rbee_test_live_things", "kind", "a")).isEqualTo(5);
      things.set(7);
      assertThat(value("rbee_test_live_things", "kind", "a")).isEqualTo(10);
      assertThat(value("rbee_test_live_things", "kind", "b")).isEqualTo(1);
    } finally {
      two.close();
    }
    assertThat(value("rbee_test_live_things", "kind", "a")).isEqualTo(7);
    assertThat(new String(Metrics.scrape(), StandardCharsets.UTF_8))
        .contains("rbee_test_live_things{kind=\"a\"} 7.0")
        .doesNotContain("rbee_test_live_things{kind=\"b\"}");
    LiveGauge.Registration broken = GAUGE.track(sink -> {
      sink.value(100, "a");
      throw new IllegalStateException("a source that fails mid-report");
    });
    assertThat(value("rbee_test_live_things", "kind", "a")).as("left out, not half counted")
        .isEqualTo(7);
    broken.close();
    one.close();
    assertThat(new String(Metrics.scrape(), StandardCharsets.UTF_8))
        .doesNotContain("rbee_test_live_things{");
  }
}
