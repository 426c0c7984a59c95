package io.rbee.keeper;

/**
 * A failure a user should read, with the exit code it ends {@code rbee} with. The message is
 * one line, printable as is after {@code "error: "}.
 */
public final class KeeperException extends RuntimeException {
  private final int exitCode;

  public KeeperException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
