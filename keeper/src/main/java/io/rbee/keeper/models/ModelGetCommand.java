package io.rbee.keeper.models;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rbee model get}: operation ModelGet. */
@Command(name = "get",
    description = "Show one model of a hive's catalog (operation ModelGet).")
public final class ModelGetCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Parameters(paramLabel = "MODEL", description = "The model's id, as rbee model list "
      + "shows it: demo, org/repo:file.gguf, or the file name of a URL.")
  String model;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.ModelGet(hive.hive(), model));
  }
}
