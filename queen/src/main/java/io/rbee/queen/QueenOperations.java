package io.rbee.queen;

import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.queen.hives.BeatNotes;
import io.rbee.queen.hives.HiveConnection;
import io.rbee.queen.hives.HiveLifecycle;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LiveHives;
import io.rbee.queen.inference.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The queen's operation router: queen operations run here, hive operations go to their hive
 * (forwarded, or in-process in integrated mode), worker operations ({@code Infer},
 * {@code Embed}) go to the scheduler.
 */
public final class QueenOperations implements OperationHandler {
  private final HiveRegistry hives;
  private final HiveLifecycle lifecycle;
  private final Scheduler scheduler;
  private final Supplier<String> selfUrl;
  private final LongSupplier droppedNarrations;

  /** {@code droppedNarrations}: the job server's count, for the self-check. */
  public QueenOperations(HiveRegistry hives, HiveLifecycle lifecycle, Scheduler scheduler,
      Supplier<String> selfUrl, LongSupplier droppedNarrations) {
    this.hives = hives;
    this.lifecycle = lifecycle;
    this.scheduler = scheduler;
    this.selfUrl = selfUrl;
    this.droppedNarrations = droppedNarrations;
  }

  /**
   * Runs {@code operation} as {@code job}: exhaustive over the sealed operation types, so an
   * operation added to the contract does not compile until it is routed here.
   */
  @Override
  public void execute(Operation operation, JobContext job) throws Exception {
    switch (operation) {
      case Operation.OnQueen op -> run(op, job);
      case Operation.OnHive op -> forward(op, job);
      case Operation.OnWorker op -> schedule(op, job);
    }
  }

  private void run(Operation.OnQueen operation, JobContext job) throws Exception {
    switch (operation) {
      case Operation.Status() -> status(job);
      case Operation.QueenCheck() -> queenCheck(job);
      case Operation.HiveStart op -> lifecycle.start(op, job);
      case Operation.HiveStop op -> lifecycle.stop(op, job);
      case Operation.HiveStatus op -> lifecycle.status(op, job);
      case Operation.HiveList() -> lifecycle.list(job);
      case Operation.HiveInstall op -> lifecycle.install(op, job);
      case Operation.HiveUninstall op -> lifecycle.uninstall(op, job);
    }
  }

  private void schedule(Operation.OnWorker operation, JobContext job) throws Exception {
    // every worker operation is placed the same way: on a worker that has its model
    switch (operation) {
      case Operation.Infer op -> scheduler.run(op, job);
      case Operation.Embed op -> scheduler.run(op, job);
    }
  }

  private void forward(Operation.OnHive op, JobContext job) throws Exception {
    HiveConnection hive = hives.require(op.hiveId());
    if (hives.integrated() && hive.mode().equals("integrated")) {
      job.narrate("hive_local").hiveId(op.hiveId())
          .human("Running {} in the queen's own hive (integrated mode)", op.name()).emit();
    }
    // what the operation changes is in the live registry before its job ends
    hive.execute(op, hives.live().get(op.hiveId()).isPresent()
        ? BeatNotes.of(job, op, hives.live()) : job);
  }

  private void queenCheck(JobContext job) {
    job.narrate("queen_check_start")
        .human("Queen self-check: narration reaches this job's stream").emit();
    job.narrate("queen_check_mode")
        .human("Mode: {}", hives.integrated() ? "integrated (local hive runs in the queen)"
            : "distributed (hives are separate daemons)").emit();
    job.narrate("queen_check_hives")
        .human("Known hives: {}", String.join(", ", hives.ids())).emit();
    job.narrate("queen_check_narration")
        .human("Narration dropped for jobs without a channel so far: {}",
            droppedNarrations.getAsLong()).emit();
    job.narrate("queen_check_done").human("Queen check passed").emit();
  }

  /**
   * {@code Status}: read from the live registry (the hives' newest heartbeats), asking no hive;
   * only a hive that sends no heartbeats is asked, as before heartbeats existed.
   */
  private void status(JobContext job) {
    List<HiveInfo> hiveInfos = new ArrayList<>();
    List<WorkerInfo> workers = new ArrayList<>();
    List<ModelInfo> models = new ArrayList<>();
    for (String id : hives.ids()) {
      HiveInfo info = lifecycle.liveInfo(id);
      hiveInfos.add(info);
      Optional<LiveHives.Entry> beat = hives.live().get(id);
      if (beat.isPresent()) {
        workers.addAll(beat.get().beat().workers());
        models.addAll(beat.get().beat().models());
      } else if ("running".equals(info.state())) {
        HiveConnection c = hives.require(id);
        try {
          workers.addAll(c.workers());
          models.addAll(c.models());
        } catch (OperationException e) {
          job.narrate("status_hive").hiveId(id).warn()
              .human("Could not read hive {}: {}", id, e.getMessage()).emit();
        }
      }
      job.narrate("status_hive").hiveId(id)
          .human("Hive {}: {} ({}, {}){}", id, info.state(), info.mode(), info.url(),
              HiveLifecycle.liveness(info)).emit();
    }
    job.narrate("status")
        .human("{} hive(s), {} worker(s), {} model(s)", hiveInfos.size(), workers.size(),
            models.size()).emit();
    job.result(new ClusterStatus(selfUrl.get(), hives.integrated(), hiveInfos, workers, models));
  }
}
