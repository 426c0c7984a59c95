package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;

/** {@code rbee hive list}: operation HiveList. */
@Command(name = "list",
    description = "List the hives the queen knows and every alias of $RBEE_HOME/hives.conf, with "
        + "their state (operation HiveList).")
public final class HiveListCommand extends KeeperCommand {
  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveList());
  }
}
