package io.rbee.e2e;

import io.rbee.jobs.launch.JvmLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code rbee} CLI as a process, as a user would, and captures what it prints. */
final class Keeper {
  record Result(int exitCode, String stdout, String stderr) {
    String lastErrLine() {
      String[] lines = stderr.strip().split("\n");
      return lines[lines.length - 1];
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private Keeper() {}

  static Result run(Path home, Map<String, String> env, String... args) throws Exception {
    return runWithInput(home, env, null, args);
  }

  /** {@code rbee args} reading {@code stdin} (null: nothing, /dev/null), to its end. */
  static Result runWithInput(Path home, Map<String, String> env, String stdin, String... args)
      throws Exception {
    ProcessBuilder pb = builder(home, env, args);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    if (stdin != null) {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("rbee " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  /**
   * {@code rbee args} started and left running, its stdin a pipe the test writes to, its
   * output collected as it comes (for tests that act while it runs: a Ctrl-C).
   */
  static Running start(Path home, Map<String, String> env, String... args) throws IOException {
    return new Running(builder(home, env, args).start(), String.join(" ", args));
  }

  /** A {@code rbee} process still running. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final String command;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Writer stdin;

    private Running(Process process, String command) {
      this.process = process;
      this.command = command;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      collect(process.getInputStream(), out);
      collect(process.getErrorStream(), err);
    }

    long pid() {
      return process.pid();
    }

    /** What it printed on stdout so far. */
    String stdout() {
      return out.toString();
    }

    /** What it printed on stderr so far. */
    String stderr() {
      return err.toString();
    }

    /** Writes {@code line} and a line break to its stdin. */
    void type(String line) throws IOException {
      stdin.write(line + "\n");
      stdin.flush();
    }

    /** Ends its stdin (Ctrl-D on a terminal). */
    void endInput() throws IOException {
      stdin.close();
    }

    /** Waits for it to exit (120 s at most); what it printed. */
    Result await() throws Exception {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("rbee " + command + " did not finish in 120 s");
      }
      return new Result(process.exitValue(), out.toString(), err.toString());
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }

    private static void collect(InputStream in, StringBuffer into) {
      Thread t = new Thread(() -> {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
          char[] buf = new char[4096];
          for (int n = r.read(buf); n >= 0; n = r.read(buf)) {
            into.append(buf, 0, n);
          }
        } catch (IOException e) {
          // the process is gone: what it printed is in the buffer
        }
      }, "rbee-output");
      t.setDaemon(true);
      t.start();
    }
  }

  private static ProcessBuilder builder(Path home, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(JvmLauncher.of("io.rbee.keeper.Rbee").arg(args).command());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("RBEE_HOME", home.toString());
    pb.environment().remove("RBEE_TOKEN"); // the home's token, unless the test sets one
    pb.environment().putAll(env);
    return pb;
  }

  static Result run(Path home, String... args) throws Exception {
    return run(home, Map.of(), args);
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
