package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rbee hive stop}: operation HiveStop. */
@Command(name = "stop",
    description = "Stop a hive daemon this queen started, and its workers (operation HiveStop; "
        + "SIGTERM, SIGKILL after 10 s; over SSH for an alias, its workers first).")
public final class HiveStopCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveStop(hive.hive()));
  }
}
