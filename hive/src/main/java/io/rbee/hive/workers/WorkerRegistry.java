package io.rbee.hive.workers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The workers of one hive, in the order they were spawned.
 *
 * <p>A worker that ended (on its own, or a spawn that failed) stays listed with its state and
 * exit code for {@code deadRetention}, so {@code rbee worker list} can show why it is gone;
 * after that it drops from the list (its log file stays). A WorkerKill removes it at once.
 *
 * <p>Thread-safe; every method is short and never waits on a process.
 */
final class WorkerRegistry {
  private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
  private final Duration deadRetention;

  WorkerRegistry(Duration deadRetention) {
    this.deadRetention = deadRetention;
  }

  /**
   * Registers a new worker in state STARTING under a fresh id ({@code worker-} and 8 hex
   * digits) whose log file does not exist yet, to compute with {@code threads} threads.
   */
  synchronized WorkerProcess create(WorkerSettings settings, String model, String device,
      int threads) {
    while (true) {
      String id = String.format("worker-%08x", ThreadLocalRandom.current().nextInt());
      Path log = settings.logDir().resolve(id + ".log");
      if (!workers.containsKey(id) && !Files.exists(log)) {
        WorkerProcess w = new WorkerProcess(id, settings.hiveId(), model, device, log,
            settings.nativeDir(id), threads, settings.host());
        workers.put(id, w);
        return w;
      }
    }
  }

  synchronized Optional<WorkerProcess> find(String id) {
    prune();
    return Optional.ofNullable(workers.get(id));
  }

  /** Every listed worker, oldest spawn first. */
  synchronized List<WorkerProcess> all() {
    prune();
    return new ArrayList<>(workers.values());
  }

  synchronized List<String> ids() {
    prune();
    return new ArrayList<>(workers.keySet());
  }

  synchronized void remove(String id) {
    workers.remove(id);
  }

  /** True while a starting or ready worker holds {@code modelId}. */
  synchronized boolean inUse(String modelId) {
    return workers.values().stream()
        .anyMatch(w -> w.model().equals(modelId) && w.state().holdsModel());
  }

  /** Ports held by workers that have not ended (to avoid handing one out twice). */
  synchronized Set<Integer> portsInUse() {
    Set<Integer> ports = new HashSet<>();
    for (WorkerProcess w : workers.values()) {
      if (w.alive() && w.port() != 0) {
        ports.add(w.port());
      }
    }
    return ports;
  }

  private void prune() {
    Instant cutoff = Instant.now().minus(deadRetention);
    workers.values().removeIf(w -> {
      Instant ended = w.endedAt();
      return ended != null && !ended.isAfter(cutoff);
    });
  }
}
