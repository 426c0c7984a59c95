package io.rbee.jobs;

import java.util.List;

/**
 * What a hive tells the queen on every beat ({@code POST /v1/hives/{hive_id}/heartbeat}):
 * where the queen reaches it ({@code url}), how often it beats ({@code interval_ms}: the queen
 * counts it stale after three missed beats unless told otherwise), and the hive's state now —
 * its devices (GPU memory free/total), its workers (state, model, device, URL, and from their
 * {@code /health}: {@code busy}, {@code queue_depth}) and its models. {@code sequence} counts
 * the hive's beats from 1 since it started (a restarted hive starts again at 1).
 *
 * <p>Each beat is the whole state, not a change: the newest one replaces the previous.
 */
public record HiveHeartbeat(
    String hiveId,
    String url,
    long intervalMs,
    long sequence,
    List<DeviceInfo> devices,
    List<WorkerInfo> workers,
    List<ModelInfo> models) {

  public HiveHeartbeat {
    devices = devices == null ? List.of() : List.copyOf(devices);
    workers = workers == null ? List.of() : List.copyOf(workers);
    models = models == null ? List.of() : List.copyOf(models);
  }

  /** The queen's answer: 200 with this body. */
  public record Ack(String hiveId, boolean known, long staleAfterMs) {}
}
