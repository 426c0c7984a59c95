package io.rbee.queen.hives;

import io.rbee.jobs.metrics.LiveGauge;

/**
 * What the queen's live registry says about its hives, read at each scrape: the age of each
 * hive's newest heartbeat, and how many hives are fresh and stale.
 */
public final class HiveMetrics {
  private static final LiveGauge AGE = LiveGauge.register("rbee_hive_heartbeat_age_seconds",
      "Seconds since the newest heartbeat of each hive that beats to this queen", "hive");

  private static final LiveGauge HIVES = LiveGauge.register("rbee_hives",
      "Hives that beat to this queen by liveness: fresh, or stale (silent past their stale"
          + " time: they get no work)", "liveness");

  private HiveMetrics() {}

  /** Reads {@code live} at every scrape until the registration is closed. */
  public static LiveGauge.Registration track(LiveHives live) {
    LiveGauge.Registration age = AGE.track(sink -> {
      for (LiveHives.Entry e : live.all()) {
        sink.value(e.ageMs() / 1000.0, e.hiveId());
      }
    });
    LiveGauge.Registration hives = HIVES.track(sink -> {
      int stale = 0;
      int fresh = 0;
      for (LiveHives.Entry e : live.all()) {
        if (e.stale()) {
          stale++;
        } else {
          fresh++;
        }
      }
      sink.value(fresh, "fresh");
      sink.value(stale, "stale");
    });
    return () -> {
      age.close();
      hives.close();
    };
  }
}
