package io.rbee.keeper;

import io.rbee.keeper.queen.QueenApi;
import io.rbee.keeper.queen.QueenLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs {@code rbee} in this JVM with captured stdout/stderr, a chosen environment and fakes. */
final class Cli {
  private final Map<String, String> env = new HashMap<>();
  private Function<String, QueenApi> queens;
  private QueenLauncher launcher = new FakeLauncher();
  private boolean terminal;
  private String stdin = "";

  /** A CLI whose queen at any URL is {@code queen}. */
  static Cli with(QueenApi queen) {
    return new Cli().queens(url -> queen);
  }

  Cli queens(Function<String, QueenApi> queens) {
    this.queens = queens;
    return this;
  }

  Cli launcher(QueenLauncher launcher) {
    this.launcher = launcher;
    return this;
  }

  Cli env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** What {@code rbee} reads on stdin (default: nothing, the end of input at once). */
  Cli stdin(String text) {
    this.stdin = text;
    return this;
  }

  Cli terminal(boolean terminal) {
    this.terminal = terminal;
    return this;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Services services = new Services(env, terminal, queens, launcher,
        new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    int code = Rbee.run(services, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** What one run left behind. */
  record Result(int exitCode, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    /** The last non-empty line on stderr. */
    String lastErrLine() {
      List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
