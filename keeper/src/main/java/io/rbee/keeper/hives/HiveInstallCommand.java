package io.rbee.keeper.hives;

import io.rbee.jobs.Operation;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rbee hive install --hive ALIAS}: operation HiveInstall. */
@Command(name = "install",
    description = "Copy the hive to another machine over SSH (operation HiveInstall): checks its "
        + "Java (21 or newer), then copies the files whose checksum changed into its RBEE_HOME. "
        + "ALIAS is a Host of ~/.ssh/config or $RBEE_HOME/hives.conf (docs/OPERATIONS.md).")
public final class HiveInstallCommand extends KeeperCommand {
  @Option(names = "--hive", paramLabel = "ALIAS", required = true,
      description = "The machine's SSH host alias.")
  String hive;

  @Option(names = "--accept-host-key",
      description = "Add the machine's host key to known_hosts if it is not there yet (check the "
          + "fingerprint the refusal printed first). A key that changed is never accepted.")
  boolean acceptHostKey;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.HiveInstall(hive, acceptHostKey));
  }
}
