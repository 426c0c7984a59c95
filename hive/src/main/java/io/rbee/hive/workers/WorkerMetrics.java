package io.rbee.hive.workers;

import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.metrics.LiveGauge;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The workers of a hive by state ({@code rbee_workers{hive, state}}), read from its registry
 * at each scrape; every state is reported, 0 when no worker is in it. Ended workers count
 * while the registry still lists them (its dead retention).
 */
public final class WorkerMetrics {
  private static final LiveGauge WORKERS = LiveGauge.register("rbee_workers",
      "Workers of each hive by state: starting, ready, stopping, stopped, failed (ended ones"
          + " while the hive still lists them)", "hive", "state");

  private WorkerMetrics() {}

  /** Reads {@code workers} of hive {@code hiveId} at every scrape until closed. */
  public static LiveGauge.Registration track(String hiveId, Supplier<List<WorkerInfo>> workers) {
    return WORKERS.track(sink -> {
      Map<WorkerState, Integer> counts = new EnumMap<>(WorkerState.class);
      for (WorkerState s : WorkerState.values()) {
        counts.put(s, 0);
      }
      for (WorkerInfo w : workers.get()) {
        if (w.state() == null) {
          continue;
        }
        try {
          counts.merge(WorkerState.valueOf(w.state().toUpperCase(Locale.ROOT)), 1, Integer::sum);
        } catch (IllegalArgumentException e) {
          // a state this version does not know is not counted
        }
      }
      counts.forEach((state, n) -> sink.value(n, hiveId, state.wire()));
    });
  }
}
