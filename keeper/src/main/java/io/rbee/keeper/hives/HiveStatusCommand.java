package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rbee hive status}: operation HiveStatus. */
@Command(name = "status",
    description = "Show a hive: its state, URL and devices: the CPU, and each NVIDIA GPU "
        + "nvidia-smi reports as cuda:N (operation HiveStatus).")
public final class HiveStatusCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveStatus(hive.hive()));
  }
}
