package io.rbee.queen.dashboard;

import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.WorkerInfo;
import io.rbee.queen.hives.HiveConnection;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LiveHives;
import io.rbee.queen.inference.WorkerRates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /v1/cluster}: the cluster as the live registry has it now, for the dashboard to
 * poll every few seconds. Every known hive with its newest heartbeat's devices, liveness and
 * beat age; the workers and models of those beats; each worker's last generation speed as this
 * queen saw it ({@link WorkerRates}). It never calls a hive: a hive that never beat to this
 * queen is listed with state {@code unknown} and nothing else known. Thread-safe; cheap (a
 * few map reads).
 */
public final class ClusterView {
  private final HiveRegistry hives;
  private final WorkerRates rates;
  private final Supplier<String> queenUrl;

  public ClusterView(HiveRegistry hives, WorkerRates rates, Supplier<String> queenUrl) {
    this.hives = hives;
    this.rates = rates;
    this.queenUrl = queenUrl;
  }

  /** The snapshot; hives in {@link HiveRegistry#ids()} order (the local one first). */
  public ClusterStatus snapshot() {
    LiveHives live = hives.live();
    List<HiveInfo> hiveInfos = new ArrayList<>();
    List<WorkerInfo> workers = new ArrayList<>();
    List<ModelInfo> models = new ArrayList<>();
    for (String id : hives.ids()) {
      HiveConnection c = hives.require(id);
      Optional<LiveHives.Entry> beat = live.get(id);
      if (beat.isEmpty()) {
        hiveInfos.add(new HiveInfo(id, c.mode(), "unknown", c.url(), null, null, null, null));
        continue;
      }
      LiveHives.Entry e = beat.get();
      hiveInfos.add(new HiveInfo(id, c.mode(), e.stale() ? "unreachable" : "running", c.url(),
          null, e.beat().devices(), e.liveness(), e.ageMs()));
      for (WorkerInfo w : e.beat().workers()) {
        workers.add(w.withTokensPerSecond(rates.of(id, w.workerId())));
      }
      models.addAll(e.beat().models());
    }
    return new ClusterStatus(queenUrl.get(), hives.integrated(), hiveInfos, workers, models);
  }
}
