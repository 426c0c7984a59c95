package io.rbee.testkit.daemons;

import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.launch.JvmLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One rbee daemon (queen or hive) started as a real process for a test: free port, the test's
 * {@code RBEE_HOME}, output in {@code <home>/logs/<name>-test.log}. {@link #close()} kills it
 * and every process it started (hives, workers).
 */
public final class Daemon implements AutoCloseable {
  public static final String QUEEN_MAIN = "io.rbee.queen.QueenMain";
  public static final String HIVE_MAIN = "io.rbee.hive.HiveMain";

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private Daemon(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a queen on a free port; {@code extraArgs} e.g. {@code --local-hive}. */
  public static Daemon queen(Path home, String... extraArgs) throws IOException {
    return start("queen", QUEEN_MAIN, home, extraArgs);
  }

  /** Starts a queen on a free port with {@code env} added to its environment. */
  public static Daemon queen(Path home, Map<String, String> env, String... extraArgs)
      throws IOException {
    return start("queen", QUEEN_MAIN, home, env, extraArgs);
  }

  /** Starts a hive daemon ({@code --hive-id localhost}) on a free port. */
  public static Daemon hive(Path home, String... extraArgs) throws IOException {
    return start("hive", HIVE_MAIN, home, extraArgs);
  }

  /** Starts {@code mainClass} with {@code --port <free> --bind 127.0.0.1} and waits for health. */
  public static Daemon start(String name, String mainClass, Path home, String... extraArgs)
      throws IOException {
    return start(name, mainClass, home, Map.of(), extraArgs);
  }

  /** As above, with {@code env} added to the daemon's environment. */
  public static Daemon start(String name, String mainClass, Path home, Map<String, String> env,
      String... extraArgs) throws IOException {
    int port = FreePorts.next();
    Path log = home.resolve("logs").resolve(name + "-test.log");
    Files.createDirectories(log.getParent());
    JvmLauncher launch = JvmLauncher.of(mainClass)
        .arg("--port", String.valueOf(port), "--bind", "127.0.0.1")
        .arg(extraArgs)
        .env("RBEE_HOME", home.toString())
        .logTo(log);
    env.forEach(launch::env);
    Daemon d = new Daemon(name, launch.start(), port, log);
    d.awaitHealthy(Duration.ofSeconds(60));
    return d;
  }

  private void awaitHealthy(Duration timeout) throws IOException {
    JobClient client = new JobClient(url());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!client.healthy()) {
        if (!process.isAlive()) {
          throw new IOException(name + " exited with " + process.exitValue()
              + " before it was healthy; log:\n" + logText());
        }
        if (System.nanoTime() > deadline) {
          close();
          throw new IOException(name + " not healthy within " + timeout + "; log:\n" + logText());
        }
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + name, e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public JobClient client() {
    return new JobClient(url());
  }

  /** The daemon's output so far (for assertion messages). */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills the daemon at once (SIGKILL), leaving what it started running. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills the daemon and every process it started; waits until they are gone. */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort: a process that does not die in 10 s after SIGKILL is beyond our reach
      }
    }
  }
}
