package io.rbee.keeper.workers;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rbee worker list}: operation WorkerList. */
@Command(name = "list",
    description = "List a hive's workers (operation WorkerList).")
public final class WorkerListCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.WorkerList(hive.hive()));
  }
}
