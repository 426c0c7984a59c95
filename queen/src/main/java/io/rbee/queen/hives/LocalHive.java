package io.rbee.queen.hives;

import io.rbee.hive.Hive;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.server.JobContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Integrated mode: the hive library runs inside the queen. Operations run with the queen's
 * job context, so the hive code narrates with the queen's job id into the queen's channel —
 * same process, same broadcaster, no HTTP hop, no hive process.
 */
public final class LocalHive implements HiveConnection {
  private final Hive hive;
  private final String hiveId;

  public LocalHive(String hiveId, Hive hive) {
    this.hiveId = hiveId;
    this.hive = hive;
  }

  /** The hive library this connection runs (its heartbeats feed the live registry). */
  public Hive hive() {
    return hive;
  }

  @Override
  public String hiveId() {
    return hiveId;
  }

  @Override
  public String mode() {
    return "integrated";
  }

  @Override
  public String url() {
    return "in-process";
  }

  @Override
  public void execute(Operation.OnHive op, JobContext job) throws Exception {
    hive.run(op, job);
  }

  @Override
  public List<WorkerInfo> workers() {
    return hive.workers();
  }

  @Override
  public List<ModelInfo> models() {
    return hive.models();
  }

  @Override
  public List<DeviceInfo> devices() {
    return hive.devices();
  }

  @Override
  public String workerLog(String workerId, int tail) {
    Path log =
        hive.workerLog(workerId).orElseThrow(() -> new OperationException(ErrorKind.WORKER_NOT_FOUND,
            "no worker " + workerId + " on hive " + hiveId));
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - tail), lines.size()))
          + (lines.isEmpty() ? "" : "\n");
    } catch (IOException e) {
      throw new OperationException(ErrorKind.LOG_UNREADABLE, "cannot read " + log + ": " + e.getMessage());
    }
  }

  @Override
  public boolean healthy() {
    return true;
  }

  /** Stops the in-process hive's workers (queen shutdown). */
  public void close() {
    hive.close();
  }
}
