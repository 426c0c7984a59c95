package io.rbee.keeper.queen;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts and stops the queen of this installation on this machine. The real one is
 * {@link LocalQueen}; tests of the commands that may start a queen hand them a fake.
 */
public interface QueenLauncher {
  /** Where the queen writes its log. */
  Path logFile();

  /** The queen this installation started, when its pid file names a process that still runs. */
  Optional<QueenRecord> running();

  /**
   * Starts a queen on {@code 127.0.0.1:port} as a detached process and returns once it answers
   * {@code GET /health}. {@code say} receives progress lines for the user (on the calling
   * thread). Throws {@link io.rbee.keeper.KeeperException} when the port is taken, the queen
   * exits early or does not answer in time.
   */
  QueenRecord start(int port, boolean localHive, Consumer<String> say);

  /** Stops the running queen, if any, and the hives it started; the pid file is gone after. */
  default Optional<Stopped> stop() {
    return stop(false);
  }

  /**
   * Stops the running queen, if any; the pid file is gone afterwards. {@code keepHives}: the
   * queen leaves the hive daemons it started (and their workers) running.
   */
  Optional<Stopped> stop(boolean keepHives);

  /** How a queen was stopped: {@code forced} when it ignored SIGTERM and was killed. */
  record Stopped(QueenRecord queen, boolean forced) {}
}
