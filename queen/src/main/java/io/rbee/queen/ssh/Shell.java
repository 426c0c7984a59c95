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

  /** A path as one shell word, a leading {@code ~/} left to the remote shell's {@code $HOME}. */
  public static String path(String p) {
    return p.startsWith("~/") ? "\"$HOME\"/" + quote(p.substring(2)) : quote(p);
  }
}
