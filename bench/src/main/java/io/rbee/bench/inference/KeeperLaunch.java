package io.rbee.bench.inference;

import io.rbee.jobs.launch.JvmLauncher;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code rbee} CLI started as a process, timed from the process start to the first
 * byte on its stdout: the {@code ./rbee} script named by {@code RBEE_CLI} ({@code bench/run}
 * sets it: the script's JDK, flags and class-data archive, as a user runs it), else the keeper's
 * main on this JVM's java with {@code -XX:+UseSerialGC -XX:TieredStopAtLevel=1} (a main
 * started by hand; no class-data archive, so slower than the script).
 */
public final class KeeperLaunch {
  private static final String MAIN = "io.rbee.keeper.Rbee";
  /** The environment variable naming the {@code ./rbee} script to launch. */
  static final String CLI_ENV = "RBEE_CLI";

  private KeeperLaunch() {}

  /** What one launch printed and how long its first stdout byte took. */
  public record Result(double firstByteMs, int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code rbee args...} with {@code RBEE_HOME=home} and autostart off, to its end.
   * Throws {@link IllegalStateException} when it exits non-zero or prints nothing on stdout.
   */
  public static Result run(Path home, String... args) throws Exception {
    String script = System.getenv(CLI_ENV);
    List<String> cmd;
    if (script != null && !script.isBlank()) {
      cmd = new ArrayList<>(List.of(script));
      cmd.addAll(List.of(args));
    } else {
      cmd = JvmLauncher.of(MAIN).jvmArg("-XX:TieredStopAtLevel=1").arg(args).command();
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(Map.of("RBEE_HOME", home.toString(), "RBEE_NO_AUTOSTART", "1"));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long start = System.nanoTime();
    Process p = pb.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    InputStream stdout = p.getInputStream();
    int firstByte = stdout.read();
    long first = System.nanoTime();
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    if (firstByte >= 0) {
      rest.write(firstByte);
      stdout.transferTo(rest);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("rbee " + String.join(" ", args) + " ran over 120 s");
    }
    Result r = new Result((first - start) / 1e6, p.exitValue(),
        rest.toString(StandardCharsets.UTF_8), err.get(10, TimeUnit.SECONDS));
    if (r.exitCode() != 0 || firstByte < 0) {
      throw new IllegalStateException("rbee " + String.join(" ", args) + " exited "
          + r.exitCode() + (firstByte < 0 ? " with nothing on stdout" : "") + "; stderr:\n"
          + r.stderr());
    }
    return r;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }
}
