package io.rbee.queen.inference;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RelayedFailureException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.hives.HiveConnection;
import io.rbee.queen.hives.HiveRegistry;

/**
 * Spawns the worker a {@link SpawnPlan} chose, as a step of an {@code Infer} job: the hive's
 * spawn narration is relayed into the job, its result kept here. A GPU the hive cannot use
 * after all ({@code cuda_unavailable}: no CUDA build of llama.cpp there) is narrated and the
 * spawn tried again on that hive's CPU.
 */
final class WorkerSpawns {
  private final HiveRegistry hives;

  WorkerSpawns(HiveRegistry hives) {
    this.hives = hives;
  }

  WorkerInfo spawn(SpawnPlan plan, String model, JobContext job) throws Exception {
    job.narrate("infer_spawn").hiveId(plan.hiveId()).model(model).device(plan.device())
        .human("No worker has {} yet; spawning one on hive {}, {}: {}", model, plan.hiveId(),
            plan.device(), plan.reason())
        .emit();
    try {
      return spawnOn(plan.hiveId(), model, plan.device(), job);
    } catch (RelayedFailureException e) {
      if (plan.device().equals("cpu") || !ErrorKind.CUDA_UNAVAILABLE.wire().equals(e.wireKind())) {
        throw e;
      }
      job.narrate("infer_spawn").hiveId(plan.hiveId()).model(model).device("cpu").warn()
          .human("Hive {} cannot use {} ({}); spawning on its CPU instead", plan.hiveId(),
              plan.device(), e.getMessage())
          .emit();
      return spawnOn(plan.hiveId(), model, "cpu", job);
    }
  }

  private WorkerInfo spawnOn(String hiveId, String model, String device, JobContext job)
      throws Exception {
    HiveConnection hive = hives.require(hiveId);
    WorkerInfo worker;
    try (ResultCapture capture = new ResultCapture(job)) {
      hive.execute(new Operation.WorkerSpawn(hiveId, model, device), capture);
      worker = capture.result(WorkerInfo.class);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new OperationException(ErrorKind.WORKER_FAILED, "spawning a worker for " + model
          + " failed: " + e.getMessage(), e);
    }
    if (worker == null || worker.url() == null) {
      throw new OperationException(ErrorKind.WORKER_FAILED,
          "hive " + hiveId + " spawned no usable worker for " + model);
    }
    return worker;
  }
}
