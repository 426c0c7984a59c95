package io.rbee.queen.hives;

import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.server.JobContext;
import java.util.List;

/**
 * How the queen reaches one hive. Two transports, one contract: {@link RemoteHive} forwards
 * over HTTP and relays the hive job's events; {@link LocalHive} runs the hive library in this
 * process with the queen's own job id. Either way the hive's narration ends up in the queen's
 * job stream, in order, and the operation's outcome is the hive's.
 */
public interface HiveConnection {
  String hiveId();

  /** "daemon" or "integrated". */
  String mode();

  /** Where the hive answers ({@code http://127.0.0.1:9000}), or {@code in-process}. */
  String url();

  /** Runs a hive operation as part of {@code job}; throws as an OperationHandler does. */
  void execute(Operation.OnHive op, JobContext job) throws Exception;

  /** The hive's workers now; throws {@link io.rbee.jobs.OperationException} if unreachable. */
  List<WorkerInfo> workers();

  List<ModelInfo> models();

  List<DeviceInfo> devices();

  /** The last {@code tail} lines of a worker's log. */
  String workerLog(String workerId, int tail);

  boolean healthy();
}
