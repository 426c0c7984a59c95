package io.rbee.hive;

import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.NarrationBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * HiveCheck: a short self-test that narrates one distinct action per step (start, state
 * folder writable, devices, models, workers, done), each with {@code hive_id} set, then emits
 * a {@link HiveCheckReport} result. Its narration proves that events of hive code reach the
 * caller's stream through every hop (HTTP relay, or the shared broadcaster in integrated mode).
 */
final class HiveSelfCheck {
  private final Hive hive;
  private final HiveConfig config;

  HiveSelfCheck(Hive hive, HiveConfig config) {
    this.hive = hive;
    this.config = config;
  }

  void run(JobContext job) {
    long t0 = System.nanoTime();
    narrate("hive_check_start", job)
        .human("Hive {} self-check started (job {})", config.hiveId(), job.jobId())
        .emit();

    Path dir = config.stateDir();
    String homeProblem = writableProblem(dir);
    if (homeProblem == null) {
      narrate("hive_check_home", job).human("State folder {} is writable", dir).emit();
    } else {
      narrate("hive_check_home", job).error(ErrorKind.HIVE_CHECK_FAILED.wire())
          .human("State folder {} is not writable: {}", dir, homeProblem)
          .emit();
    }
    job.throwIfCancelled();

    List<DeviceInfo> devices = hive.devices();
    List<DeviceInfo> gpus = devices.stream().filter(d -> d.kind().equals("cuda")).toList();
    narrate("hive_check_devices", job)
        .human("{} device(s): {}", devices.size(),
            devices.stream().map(d -> d.id() + " (" + d.name() + ")")
                .collect(Collectors.joining(", ")))
        .emit();
    job.throwIfCancelled();

    List<ModelInfo> models = hive.models();
    narrate("hive_check_models", job)
        .human("{} model(s) in the catalog{}", models.size(), models.isEmpty() ? ""
            : ": " + models.stream().map(ModelInfo::id).collect(Collectors.joining(", ")))
        .emit();

    List<WorkerInfo> workers = hive.workers();
    int ready = (int) workers.stream().filter(w -> w.state().equals("ready")).count();
    narrate("hive_check_workers", job)
        .human("{} worker(s), {} ready", workers.size(), ready)
        .emit();

    boolean ok = homeProblem == null;
    long ms = (System.nanoTime() - t0) / 1_000_000;
    narrate("hive_check_done", job).durationMs(ms)
        .human("Hive {} self-check {} in {} ms", config.hiveId(), ok ? "passed" : "FAILED", ms)
        .emit();
    job.result(new HiveCheckReport(config.hiveId(), dir.toString(), homeProblem == null,
        devices.size(), gpus.size(), models.size(), workers.size(), ready, ok));
    if (!ok) {
      throw new OperationException(ErrorKind.HIVE_CHECK_FAILED,
          "hive " + config.hiveId() + " cannot write its state folder " + dir + ": "
              + homeProblem);
    }
  }

  /** Null when a file can be created and deleted in {@code dir}, else what went wrong. */
  private static String writableProblem(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".hive-check-", ".tmp");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private NarrationBuilder narrate(String action, JobContext job) {
    return job.narrate(action).hiveId(config.hiveId());
  }
}
