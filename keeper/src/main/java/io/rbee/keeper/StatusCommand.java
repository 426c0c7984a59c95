package io.rbee.keeper;

import io.rbee.jobs.Operation;
import picocli.CommandLine.Command;

/** {@code rbee status}: the hives, workers and models the queen knows. */
@Command(name = "status",
    description = "Show the hives, workers and models the queen knows (operation Status).")
public final class StatusCommand extends KeeperCommand {
  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.Status());
  }
}
