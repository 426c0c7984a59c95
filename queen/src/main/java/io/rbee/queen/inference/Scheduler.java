package io.rbee.queen.inference;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.limits.WorkerSlots;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.hives.HiveConnection;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.relay.Relay;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs {@code Infer}: finds a ready worker with the model (on the named hive, or on any known
 * hive), or asks a hive that has the model to spawn one, then streams the worker's tokens into
 * the queen's job. The worker's {@code done} stats become the job's stats.
 *
 * <p>Two waits, both narrated with the waiter's place ({@link Gate}): at most one spawn per
 * model runs at a time, and requests that arrive meanwhile wait for that worker instead of
 * each starting their own; and at most {@link WorkerSlots#capacity()} of the queen's jobs are
 * at one worker at once (its generation slot and its queue), so that hundreds of concurrent
 * requests queue here, in order, instead of being refused by the worker's bounded queue.
 * Thread-safe; a waiting job holds no platform thread.
 */
public final class Scheduler {
  private final HiveRegistry hives;
  private final Map<String, Gate> spawning = new ConcurrentHashMap<>();
  private final Map<String, Gate> workerPlaces = new ConcurrentHashMap<>();

  public Scheduler(HiveRegistry hives) {
    this.hives = hives;
  }

  public void infer(Operation.Infer op, JobContext job) throws Exception {
    List<HiveConnection> candidates =
        op.hiveId() == null ? reachable(job) : List.of(hives.require(op.hiveId()));
    Placement placement = findWorker(op.model(), candidates).orElse(null);
    if (placement == null) {
      // one spawn per model at a time: requests that arrive meanwhile wait for that worker
      // instead of each starting their own
      Gate gate = spawning.computeIfAbsent(op.model(), m -> new Gate(
          "the spawn of a worker for model " + m + " (one at a time)", 1));
      Gate.Permit spawn = gate.enter(job);
      try {
        placement = findWorker(op.model(), candidates)
            .orElseGet(() -> spawnWorker(op.model(), candidates, job));
      } finally {
        spawn.close();
      }
    }
    WorkerInfo worker = placement.worker();
    String hiveId = placement.hive().hiveId();
    Gate places = workerPlaces.computeIfAbsent(hiveId + "/" + worker.workerId(), k -> new Gate(
        "a place at worker " + worker.workerId() + " (" + WorkerSlots.GENERATION
            + " generating, " + WorkerSlots.QUEUE + " queued there)", WorkerSlots.capacity()));
    Gate.Permit place = places.enter(job);
    try {
      job.narrate("infer_route").hiveId(hiveId)
          .workerId(worker.workerId()).model(op.model())
          .human("Sending the prompt to worker {} on hive {} ({})", worker.workerId(),
              hiveId, worker.url())
          .emit();
      job.stats(Relay.statsOf(relay(op, job, worker, hiveId)));
    } finally {
      place.close();
    }
  }

  /** Relays {@code op} through {@code worker}, naming what went wrong in the worker's terms. */
  private Done relay(Operation.Infer op, JobContext job, WorkerInfo worker,
      String hiveId) {
    // workers require the installation's token, as hives do: the queen calls them directly;
    // the queen relays text: tokens that wait for it together may come as one event
    JobClient client = new JobClient(worker.url(), hives.token()).withMergedTokens();
    try {
      return new Relay(client, hiveId).run(op, job);
    } catch (JobClientException e) {
      throw switch (e.kind()) {
        case STREAM_BROKEN -> new OperationException(ErrorKind.WORKER_LOST, "worker "
            + worker.workerId() + " on hive " + hiveId
            + " went away mid-generation: " + e.getMessage());
        case UNAUTHORIZED -> new OperationException(ErrorKind.UNAUTHORIZED, "worker "
            + worker.workerId() + " on hive " + hiveId + " refused this queen's token: "
            + e.getMessage());
        case REJECTED -> new OperationException(e.httpStatus() == 429 ? ErrorKind.WORKER_BUSY
            : ErrorKind.WORKER_REJECTED, "worker " + worker.workerId() + ": " + e.getMessage());
        default -> new OperationException(ErrorKind.WORKER_UNREACHABLE, "worker "
            + worker.workerId() + " at " + worker.url() + " is not reachable: "
            + e.getMessage());
      };
    }
  }

  private record Placement(HiveConnection hive, WorkerInfo worker) {}

  private List<HiveConnection> reachable(JobContext job) {
    List<HiveConnection> out = new ArrayList<>();
    for (HiveConnection c : hives.all()) {
      if (c.healthy()) {
        out.add(c);
      } else {
        job.narrate("infer_skip_hive").hiveId(c.hiveId()).level(
                io.rbee.narration.Level.DEBUG)
            .human("Hive {} at {} is not reachable; skipping it", c.hiveId(), c.url()).emit();
      }
    }
    if (out.isEmpty()) {
      throw new OperationException(ErrorKind.NO_HIVE, "no hive is reachable (known: "
          + String.join(", ", hives.ids()) + "); start one with `rbee hive start`");
    }
    return out;
  }

  private static Optional<Placement> findWorker(String model, List<HiveConnection> candidates) {
    for (HiveConnection c : candidates) {
      for (WorkerInfo w : c.workers()) {
        if ("ready".equals(w.state()) && model.equals(w.model())) {
          return Optional.of(new Placement(c, w));
        }
      }
    }
    return Optional.empty();
  }

  private Placement spawnWorker(String model, List<HiveConnection> candidates, JobContext job) {
    HiveConnection hive = null;
    List<String> seen = new ArrayList<>();
    for (HiveConnection c : candidates) {
      List<ModelInfo> models = c.models();
      if (models.stream().anyMatch(m -> m.id().equals(model))) {
        hive = c;
        break;
      }
      models.forEach(m -> seen.add(m.id() + "@" + c.hiveId()));
    }
    if (hive == null) {
      throw new OperationException(ErrorKind.MODEL_NOT_FOUND, "no hive has model \"" + model
          + "\" (models: " + (seen.isEmpty() ? "none" : String.join(", ", seen))
          + "); download it with `rbee model download " + model + "`");
    }
    job.narrate("infer_spawn").hiveId(hive.hiveId()).model(model)
        .human("No worker has {} yet; asking hive {} to spawn one", model, hive.hiveId()).emit();
    WorkerInfo worker;
    try (ResultCapture capture = new ResultCapture(job)) {
      hive.execute(new Operation.WorkerSpawn(hive.hiveId(), model, "cpu"), capture);
      worker = capture.result(WorkerInfo.class);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new OperationException(ErrorKind.WORKER_FAILED, "spawning a worker for " + model
          + " failed: " + e.getMessage(), e);
    }
    if (worker == null || worker.url() == null) {
      throw new OperationException(ErrorKind.WORKER_FAILED,
          "hive " + hive.hiveId() + " spawned no usable worker for " + model);
    }
    return new Placement(hive, worker);
  }
}
