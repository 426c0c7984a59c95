package io.rbee.keeper.workers;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rbee worker kill}: operation WorkerKill. */
@Command(name = "kill",
    description = "Stop a worker (SIGTERM, SIGKILL after 5 s) and drop it from the list "
        + "(operation WorkerKill).")
public final class WorkerKillCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Parameters(paramLabel = "WORKER_ID", description = "The worker's id.")
  String workerId;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.WorkerKill(hive.hive(), workerId));
  }
}
