package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rbee hive uninstall --hive ALIAS}: operation HiveUninstall. */
@Command(name = "uninstall",
    description = "Remove the hive from another machine over SSH (operation HiveUninstall): its "
        + "files, token, logs; its models only with --remove-models. Stop it first.")
public final class HiveUninstallCommand extends KeeperCommand {
  @Option(names = "--hive", paramLabel = "ALIAS", required = true,
      description = "The machine's SSH host alias.")
  String hive;

  @Option(names = "--remove-models", description = "Delete the hive's models there too.")
  boolean removeModels;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveUninstall(hive, removeModels));
  }
}
