package io.rbee.keeper.queen;

import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The queen of one {@code RBEE_HOME}, run as a detached child JVM
 * ({@code io.rbee.queen.QueenMain}) with its output in {@code logs/queen.log} and its pid file
 * in {@code run/queen.json}. Not thread-safe: one keeper command uses it at a time.
 */
public final class LocalQueen implements QueenLauncher {
  /** The queen's main class, named (never referenced): the keeper does not depend on it. */
  public static final String MAIN_CLASS = "io.rbee.queen.QueenMain";

  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(30);
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final Path home;
  private final Function<String, QueenApi> queens;
  private final QueenPidFile pidFile;
  private final String mainClass;

  public LocalQueen(Path home, Function<String, QueenApi> queens) {
    this(home, queens, MAIN_CLASS);
  }

  /** A launcher of another main class that takes the queen's flags (tests use a stand-in). */
  LocalQueen(Path home, Function<String, QueenApi> queens, String mainClass) {
    this.home = home;
    this.queens = queens;
    this.mainClass = mainClass;
    this.pidFile = new QueenPidFile(RbeeHome.run(home).resolve("queen.json"));
  }

  @Override
  public Path logFile() {
    return RbeeHome.logs(home).resolve("queen.log");
  }

  @Override
  public Optional<QueenRecord> running() {
    Optional<QueenRecord> rec = pidFile.read();
    if (rec.isPresent() && !isQueenProcess(rec.get().pid(), mainClass)) {
      pidFile.delete(); // stale: the queen died without removing it, or the pid was reused
      return Optional.empty();
    }
    return rec;
  }

  @Override
  public QueenRecord start(int port, boolean localHive, Consumer<String> say) {
    String url = QueenUrl.local(port);
    if (!portFree(port)) {
      throw new KeeperException(ExitCode.FAILED, "port " + port + " on 127.0.0.1 is in use by "
          + "another program (not a queen answering /health); choose another with --port");
    }
    Process process = launch(port, localHive);
    QueenRecord rec = new QueenRecord(
        process.pid(), port, url, localHive, Instant.now().toString());
    pidFile.write(rec);
    say.accept("waiting for the queen at " + url + " to answer /health (up to "
        + HEALTH_TIMEOUT.toSeconds() + " s)");
    QueenApi api = queens.apply(url);
    long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (api.healthy()) {
        return rec;
      }
      if (!process.isAlive()) {
        pidFile.delete();
        throw new KeeperException(ExitCode.FAILED, "the queen exited with code "
            + process.exitValue() + " before answering /health" + lastLogLine()
            + " (log: " + logFile() + ")");
      }
      pause();
    }
    process.destroyForcibly();
    pidFile.delete();
    throw new KeeperException(ExitCode.FAILED, "the queen did not answer " + url + "/health within "
        + HEALTH_TIMEOUT.toSeconds() + " s; stopped it (log: " + logFile() + ")");
  }

  @Override
  public Optional<Stopped> stop(boolean keepHives) {
    Optional<QueenRecord> rec = running();
    if (rec.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle handle = ProcessHandle.of(rec.get().pid()).orElse(null);
    boolean forced = false;
    if (handle != null && handle.isAlive()) {
      Path marker = RbeeHome.keepHivesMarker(home);
      try {
        if (keepHives) {
          Files.createDirectories(marker.getParent());
          Files.writeString(marker, Long.toString(handle.pid()));
        } else {
          Files.deleteIfExists(marker);
        }
      } catch (IOException e) {
        throw new KeeperException(ExitCode.FAILED, "cannot write " + marker + ": "
            + e.getMessage());
      }
      handle.destroy(); // SIGTERM: the queen stops its hives and workers on the way out
      if (!awaitExit(handle, STOP_GRACE)) {
        forced = true;
        handle.destroyForcibly();
        awaitExit(handle, Duration.ofSeconds(5));
      }
    }
    pidFile.delete();
    return Optional.of(new Stopped(rec.get(), forced));
  }

  private Process launch(int port, boolean localHive) {
    JvmLauncher launcher = JvmLauncher.of(mainClass)
        .arg("--port", Integer.toString(port), "--bind", "127.0.0.1")
        .env("RBEE_HOME", home.toString())
        .logTo(logFile());
    if (localHive) {
      launcher.arg("--local-hive");
    }
    try {
      Files.createDirectories(logFile().getParent());
      List<String> command = new ArrayList<>(launcher.command());
      // A session of its own, so a Ctrl-C meant for this rbee command does not reach the queen.
      File setsid = new File("/usr/bin/setsid");
      if (setsid.canExecute()) {
        command.add(0, setsid.getPath());
      }
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      pb.environment().put("RBEE_HOME", home.toString());
      return pb.start();
    } catch (IOException e) {
      throw new KeeperException(ExitCode.FAILED, "could not start the queen: " + e.getMessage());
    }
  }

  /** True when the pid runs and, where the OS tells its command line, that is a queen's. */
  private static boolean isQueenProcess(long pid, String mainClass) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    return handle.get().info().commandLine()
        .map(cl -> cl.contains(JvmLauncher.PROGRAM_PROPERTY_FLAG + mainClass))
        .orElse(true);
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }

  private String lastLogLine() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return "; its log ends with: " + lines.get(i).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // no log to quote: the message still names the file
    }
    return "";
  }

  private static void pause() {
    try {
      Thread.sleep(100); // polling a child's /health; there is nothing to wait on instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeeperException(ExitCode.FAILED, "interrupted while waiting for the queen");
    }
  }
}
