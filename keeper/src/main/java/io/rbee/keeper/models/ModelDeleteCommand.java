package io.rbee.keeper.models;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rbee model delete}: operation ModelDelete. */
@Command(name = "delete",
    description = "Delete a model from a hive's catalog and disk (operation ModelDelete); "
        + "refused while a worker has it loaded.")
public final class ModelDeleteCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Parameters(paramLabel = "MODEL", description = "The model's id, as rbee model list "
      + "shows it: demo, org/repo:file.gguf, or the file name of a URL.")
  String model;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.ModelDelete(hive.hive(), model));
  }
}
