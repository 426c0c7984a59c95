package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rbee hive start}: operation HiveStart. */
@Command(name = "start",
    description = "Start a hive daemon (operation HiveStart).")
public final class HiveStartCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Option(names = "--port", paramLabel = "N", description = "The hive's port (default: 9000).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveStart(hive.hive(), port));
  }
}
