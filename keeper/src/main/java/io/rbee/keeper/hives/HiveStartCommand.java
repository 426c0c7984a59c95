package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rbee hive start}: operation HiveStart. */
@Command(name = "start",
    description = "Start a hive daemon and wait until it answers (operation HiveStart): "
        + "localhost on this machine (a queen started with --local-hive has it inside already, "
        + "so there is nothing to start), or an SSH host alias on its machine, installed first "
        + "with `rbee hive install`; it runs detached there and outlives the SSH session.")
public final class HiveStartCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Option(names = "--port", paramLabel = "N", description = "The hive's port (default: for localhost 9000, or the port of the hive "
          + "this queen already started; for an alias its HivePort, else 9000).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveStart(hive.hive(), port));
  }
}
