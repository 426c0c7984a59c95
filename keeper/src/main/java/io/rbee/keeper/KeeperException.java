package io.rbee.keeper;

import io.rbee.jobs.ExitCode;

/**
 * A failure a user should read, with the exit code it ends {@code rbee} with. The message is
 * one line, printable as is after {@code "error: "}.
 */
public final class KeeperException extends RuntimeException {
  private final ExitCode exitCode;

  public KeeperException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The process exit status ({@link ExitCode#code()}). */
  public int exitCode() {
    return exitCode.code();
  }
}
