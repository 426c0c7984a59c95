package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rbee hive check}: operation HiveCheck. */
@Command(name = "check",
    description = "Send test narration through every hop to a hive and back (operation HiveCheck).")
public final class HiveCheckCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveCheck(hive.hive()));
  }
}
