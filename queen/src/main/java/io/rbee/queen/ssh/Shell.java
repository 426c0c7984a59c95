package io.rbee.queen.ssh;

/** Quoting for the POSIX shell a remote command runs in. */
public final class Shell {
  private Shell() {}

  /** {@code s} as one shell word: single-quoted, embedded quotes escaped. */
  public static String quote(String s) {
    if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
