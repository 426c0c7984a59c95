package io.rbee.keeper.workers;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rbee worker list}: operation WorkerList. */
@Command(name = "list",
    description = "List a hive's workers (operation WorkerList); a worker that ended on its "
        + "own stays listed for 10 minutes with its state and exit code.")
public final class WorkerListCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.WorkerList(hive.hive()));
  }
}
