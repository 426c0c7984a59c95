package io.rbee.keeper.hives;

import picocli.CommandLine.Command;

/** {@code rbee hive}: hives, the per-machine daemons that own workers and models. */
@Command(name = "hive",
    description = "Install, start, stop, inspect and check hives (one per machine).",
    subcommands = {
      HiveInstallCommand.class,
      HiveStartCommand.class,
      HiveStopCommand.class,
      HiveStatusCommand.class,
      HiveCheckCommand.class,
      HiveListCommand.class,
      HiveUninstallCommand.class,
    })
public final class HiveCommand {}
