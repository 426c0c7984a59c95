package io.rbee.queen.hives;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.metrics.LiveGauge;
import io.rbee.jobs.metrics.Metrics;
import io.rbee.testkit.metrics.MetricsText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live registry as metrics: heartbeat age per hive, hives fresh and stale. */
class HiveMetricsTest {
  private final LiveHives live = new LiveHives(null);
  private final LiveGauge.Registration tracked = HiveMetrics.track(live);

  @AfterEach
  void close() {
    tracked.close();
    live.close();
  }

  private static MetricsText scrape() {
    return MetricsText.parse(new String(Metrics.scrape(), StandardCharsets.UTF_8));
  }

  @Test
  void aHiveThatStopsBeatingAgesAndTurnsStale() {
    live.beat(new HiveHeartbeat("metrics-blue", "http://127.0.0.2:9000", 100, 1, List.of(),
        List.of(), List.of()));

    MetricsText fresh = scrape();
    assertThat(fresh.value("rbee_hives", "liveness", "fresh")).isEqualTo(1);
    assertThat(fresh.value("rbee_hive_heartbeat_age_seconds", "hive", "metrics-blue"))
        .isBetween(0.0, 0.3);

    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> scrape().value("rbee_hives", "liveness", "stale") == 1);
    MetricsText stale = scrape();
    assertThat(stale.value("rbee_hives", "liveness", "fresh")).isZero();
    assertThat(stale.value("rbee_hive_heartbeat_age_seconds", "hive", "metrics-blue"))
        .isGreaterThanOrEqualTo(0.3);

    tracked.close();
    assertThat(scrape().has("rbee_hive_heartbeat_age_seconds", "hive", "metrics-blue")).isFalse();
  }
}
