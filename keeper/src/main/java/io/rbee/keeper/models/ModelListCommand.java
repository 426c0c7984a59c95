package io.rbee.keeper.models;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rbee model list}: operation ModelList. */
@Command(name = "list",
    description = "List the models in a hive's catalog (operation ModelList).")
public final class ModelListCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.ModelList(hive.hive()));
  }
}
