package io.rbee.keeper.workers;

import picocli.CommandLine.Command;

/** {@code rbee worker}: worker processes, one per loaded model. */
@Command(name = "worker",
    description = "Spawn, list, show, kill workers and read their logs.",
    subcommands = {
      WorkerSpawnCommand.class,
      WorkerListCommand.class,
      WorkerGetCommand.class,
      WorkerKillCommand.class,
      WorkerLogsCommand.class,
    })
public final class WorkerCommand {}
