package io.rbee.keeper.workers;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rbee worker get}: operation WorkerGet. */
@Command(name = "get",
    description = "Show one worker (operation WorkerGet).")
public final class WorkerGetCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Parameters(paramLabel = "WORKER_ID", description = "The worker's id.")
  String workerId;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.WorkerGet(hive.hive(), workerId));
  }
}
