package io.rbee.testkit.daemons;

import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
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
 *
 * <p>Once it is healthy, the daemon's access token is read from {@code <home>/token} (the
 * daemon creates it when the home has none, as a real installation's first daemon does):
 * {@link #client()} sends it, so a test talks to the daemon as the installation's keeper
 * would; {@link #token()} is the token itself, for tests that call other ways.
 */
public final class Daemon implements AutoCloseable {
  public static final String QUEEN_MAIN = "io.rbee.queen.QueenMain";
  public static final String HIVE_MAIN = "io.rbee.hive.HiveMain";

  private final String name;
  private final Process process;
  private final String bind;
  private final int port;
  private final Path log;
  private final Path home;
  private AccessToken token;

  private Daemon(String name, Process process, String bind, int port, Path log, Path home) {
    this.name = name;
    this.process = process;
    this.bind = bind;
    this.port = port;
    this.log = log;
    this.home = home;
  }

  /**
   * Gives the installation at {@code toHome} the token of the one at {@code fromHome} (mode
   * 0600), as installing a hive on another machine does: a hive started there afterwards
   * belongs to the same installation as the queen of {@code fromHome}.
   */
  public static void shareToken(Path fromHome, Path toHome) throws IOException {
    Path to = TokenFile.path(toHome);
    Files.createDirectories(to.getParent());
    Files.copy(TokenFile.path(fromHome), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString(
        "rw-------"));
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
    return start(name, mainClass, home, "127.0.0.1", FreePorts.next(), env, extraArgs);
  }

  /**
   * Starts {@code mainClass} with {@code --port <port> --bind <bind>} and waits for health:
   * a hive of another "machine" on its own loopback address ({@code 127.0.0.2}), or a queen
   * started again on the port it had. Output goes to {@code <home>/logs/<name>-test.log}
   * (appended, so a restart keeps the earlier run's lines).
   */
  public static Daemon start(String name, String mainClass, Path home, String bind, int port,
      String... extraArgs) throws IOException {
    return start(name, mainClass, home, bind, port, Map.of(), extraArgs);
  }

  /** As above, with {@code env} added to the daemon's environment. */
  public static Daemon start(String name, String mainClass, Path home, String bind, int port,
      Map<String, String> env, String... extraArgs) throws IOException {
    Path log = home.resolve("logs").resolve(name + "-test.log");
    Files.createDirectories(log.getParent());
    JvmLauncher launch = JvmLauncher.of(mainClass)
        .arg("--port", String.valueOf(port), "--bind", bind)
        .arg(extraArgs)
        .env("RBEE_HOME", home.toString())
        // the token is the home's: not one the shell running the tests may have set
        .withoutEnv(TokenFile.ENV)
        .logTo(log);
    env.forEach(launch::env);
    Daemon d = new Daemon(name, launch.start(), bind, port, log, home);
    d.awaitHealthy(Duration.ofSeconds(60));
    d.token = TokenFile.read(TokenFile.path(home)).orElseThrow(() -> {
      d.close();
      return new IOException(name + " is healthy but wrote no token to " + TokenFile.path(home));
    });
    return d;
  }

  private void awaitHealthy(Duration timeout) throws IOException {
    JobClient client = JobClient.withoutToken(url()); // /health needs none
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
    return "http://" + bind + ":" + port;
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

  /** A client of this daemon that sends the installation's token. */
  public JobClient client() {
    return new JobClient(url(), token);
  }

  /** The installation's access token, which every path of the daemon but /health requires. */
  public AccessToken token() {
    return token;
  }

  /** The {@code RBEE_HOME} the daemon runs with. */
  public Path home() {
    return home;
  }

  /** The daemon's output so far (for assertion messages). */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Sends the daemon {@code SIGSTOP} ({@code "STOP"}) or {@code SIGCONT} ({@code "CONT"}). */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
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
