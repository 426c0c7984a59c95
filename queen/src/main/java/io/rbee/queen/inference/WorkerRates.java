package io.rbee.queen.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generation speed of each worker's last finished {@code Infer} as this queen saw it: the
 * {@code tokens_per_second} of the worker's {@code done} stats, by hive and worker. What the
 * dashboard shows beside a worker ({@code WorkerInfo.tokens_per_second} in
 * {@code GET /v1/cluster}). Thread-safe; an entry lives as long as the queen (a few bytes per
 * worker ever used).
 */
public final class WorkerRates {
  private record Key(String hiveId, String workerId) {}

  private final Map<Key, Double> rates = new ConcurrentHashMap<>();

  /** Takes the rate from a finished generation's {@code stats}; none or 0 changes nothing. */
  void note(String hiveId, String workerId, Map<String, Object> stats) {
    if (stats != null && stats.get("tokens_per_second") instanceof Number n
        && n.doubleValue() > 0) {
      rates.put(new Key(hiveId, workerId), n.doubleValue());
    }
  }

  /** The last rate of {@code workerId} on {@code hiveId}, or null before its first generation. */
  public Double of(String hiveId, String workerId) {
    return rates.get(new Key(hiveId, workerId));
  }
}
