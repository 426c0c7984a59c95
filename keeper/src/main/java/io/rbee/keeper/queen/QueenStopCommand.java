package io.rbee.keeper.queen;

import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.KeeperException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rbee queen stop}: stops the queen named by the pid file, SIGTERM first and SIGKILL
 * after 20 s, and says which it took. No queen running is not an error.
 */
@Command(name = "stop",
    description = "Stop the queen started from this RBEE_HOME (SIGTERM, SIGKILL after 20 s). "
        + "The queen first stops the hive daemons it started (on this machine and over SSH), "
        + "and each hive stops its workers.")
public final class QueenStopCommand extends KeeperCommand {
  @Option(names = "--keep-hives",
      description = "Leave the hive daemons the queen started, and their workers, running.")
  boolean keepHives;

  @Override
  public Integer call() {
    Optional<QueenLauncher.Stopped> stopped = services().launcher().stop(keepHives);
    if (stopped.isEmpty()) {
      String url = queenUrl();
      if (QueenUrl.isLoopback(url) && services().queens().apply(url).healthy()) {
        throw new KeeperException(ExitCode.FAILED, "a queen answers at " + url + " but was not "
            + "started from this RBEE_HOME (no pid file); stop it where it was started");
      }
      output().say("queen not running");
      return ExitCode.OK.code();
    }
    QueenRecord queen = stopped.get().queen();
    if (stopped.get().forced()) {
      output().say("queen (pid " + queen.pid() + ") did not stop within "
          + LocalQueen.STOP_GRACE.toSeconds() + " s of SIGTERM; killed it (SIGKILL)");
    } else {
      output().say("queen (pid " + queen.pid() + ") stopped (SIGTERM)");
    }
    return ExitCode.OK.code();
  }
}
