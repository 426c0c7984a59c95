package io.rbee.queen;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.cli.CommandLines;
import io.rbee.queen.history.HistoryConfig;
import io.rbee.queen.inference.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code queen-rbee [--port 8500] [--bind 127.0.0.1] [--local-hive] [--no-history]
 * [--history-max-jobs N] [--history-max-age AGE] [--history-max-bytes SIZE]}: runs the queen until
 * SIGTERM. State under {@code $RBEE_HOME} (default {@code ~/.rbee}). Exit codes
 * ({@link ExitCode}): 1 when it cannot start, 2 for a bad command line (message and usage on
 * stderr), 0 for {@code --help}.
 */
@Command(
    name = "queen-rbee",
    sortOptions = false,
    description = "The rbee queen: accepts every job, runs the queen's operations, forwards"
        + " hive operations to their hive and schedules inference onto workers.",
    footer = "%nState lives under $RBEE_HOME (default ~/.rbee).")
public final class QueenMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(QueenMain.class);

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8500",
      description = "port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE}); an address other than"
          + " a loopback one is warned about: the queen is then reachable from other machines")
  String bind;

  @Option(names = "--local-hive",
      description = "run the localhost hive inside the queen (integrated mode)")
  boolean localHive;

  @Option(names = "--infer-abandon-seconds", paramLabel = "N", defaultValue = "10",
      description = "stop an inference this long after its last follower left (default"
          + " ${DEFAULT-VALUE})")
  int inferAbandonSeconds;

  @Option(names = "--hive-stale-ms", paramLabel = "N",
      description = "a hive without a heartbeat for this long is stale: it gets no work and"
          + " its jobs fail (default 3 x the interval the hive beats at; 300..600000)")
  Integer hiveStaleMs;

  @Option(names = "--infer-queue", paramLabel = "N", defaultValue = "" + Scheduler.DEFAULT_QUEUE_LIMIT,
      description = "inference jobs that may wait for a busy worker of one model; more fail"
          + " queue_full (default ${DEFAULT-VALUE}; 1..1000000)")
  int inferQueue;

  @Option(names = "--no-history",
      description = "keep jobs in memory only: no job history under $RBEE_HOME/queen"
          + " (env RBEE_HISTORY=off)")
  boolean noHistory;

  @Option(names = "--history-max-jobs", paramLabel = "N",
      description = "keep at most N jobs in the history, the oldest finished go first (default "
          + HistoryConfig.DEFAULT_MAX_JOBS + "; env RBEE_HISTORY_MAX_JOBS)")
  String historyMaxJobs;

  @Option(names = "--history-max-age", paramLabel = "AGE",
      description = "remove jobs finished longer ago than AGE (90s, 30m, 12h, 30d; default 30d;"
          + " env RBEE_HISTORY_MAX_AGE)")
  String historyMaxAge;

  @Option(names = "--history-max-bytes", paramLabel = "SIZE",
      description = "keep at most SIZE of event data (512MiB, 2GiB, bytes; default 512MiB;"
          + " env RBEE_HISTORY_MAX_BYTES)")
  String historyMaxBytes;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  QueenMain() {}

  public static void main(String[] args) {
    // returns only when the queen did not start; exit explicitly, Javalin leaves threads
    System.exit(CommandLines.of(new QueenMain()).execute(args));
  }

  /** Starts the queen and serves until SIGTERM; returns only when it cannot start. */
  @Override
  public Integer call() throws InterruptedException {
    CommandLines.port(spec, "--port", port);
    if (inferAbandonSeconds < 1 || inferAbandonSeconds > 86_400) {
      throw CommandLines.usage(spec,
          "--infer-abandon-seconds must be 1..86400, got " + inferAbandonSeconds);
    }
    if (hiveStaleMs != null && (hiveStaleMs < 300 || hiveStaleMs > 600_000)) {
      throw CommandLines.usage(spec, "--hive-stale-ms must be 300..600000, got " + hiveStaleMs);
    }
    if (inferQueue < 1 || inferQueue > 1_000_000) {
      throw CommandLines.usage(spec, "--infer-queue must be 1..1000000, got " + inferQueue);
    }
    HistoryConfig history = history();
    Path home = RbeeHome.resolve();
    AccessToken token;
    QueenApp app;
    try {
      // RBEE_TOKEN when set, else the installation's token file, created on the first start
      token = TokenFile.forDaemon(home, System.getenv());
      app = new QueenApp(home, token, bind, port, localHive, new QueenApp.Options(
          Duration.ofSeconds(inferAbandonSeconds),
          hiveStaleMs == null ? null : Duration.ofMillis(hiveStaleMs), inferQueue, history));
    } catch (RuntimeException e) {
      System.err.println("queen-rbee: error: cannot start on " + bind + ":" + port + ": "
          + e.getMessage());
      return ExitCode.FAILED.code();
    }
    LOG.info("queen-rbee listening on {} ({} mode, RBEE_HOME {})", app.http().baseUrl(),
        localHive ? "integrated" : "distributed", home);
    LOG.info("queen-rbee requires the access token from {} on every path but /health",
        token.source());
    if (!Loopback.is(bind)) {
      String warning = "queen-rbee: warning: --bind " + bind + " is not a loopback address:"
          + " the queen is reachable from other machines; anyone who has the token ("
          + token.source() + ") can drive this cluster, and the traffic (token included) is"
          + " plain HTTP";
      LOG.warn(warning);
      System.err.println(warning);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      boolean keepHives = keepHivesAsked(home);
      LOG.info("queen-rbee stopping{}", keepHives ? "; leaving its hives running (--keep-hives)"
          : "");
      app.close(!keepHives);
    }, "queen-shutdown"));
    new CountDownLatch(1).await(); // serve until SIGTERM runs the shutdown hook
    return ExitCode.OK.code();
  }

  /** The history's settings: RBEE_HISTORY* from the environment, the flags over them. */
  private HistoryConfig history() {
    try {
      HistoryConfig c = HistoryConfig.fromEnv(System.getenv());
      if (noHistory) {
        c = c.withEnabled(false);
      }
      if (historyMaxJobs != null) {
        c = c.withMaxJobs(HistoryConfig.jobs("--history-max-jobs", historyMaxJobs));
      }
      if (historyMaxAge != null) {
        c = c.withMaxAge(HistoryConfig.age("--history-max-age", historyMaxAge));
      }
      if (historyMaxBytes != null) {
        c = c.withMaxBytes(HistoryConfig.bytes("--history-max-bytes", historyMaxBytes));
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw CommandLines.usage(spec, e.getMessage());
    }
  }

  /**
   * True when {@code rbee queen stop --keep-hives} asked this queen (the marker names this
   * process) to leave its hives running; the marker is removed either way.
   */
  static boolean keepHivesAsked(Path home) {
    Path marker = RbeeHome.keepHivesMarker(home);
    try {
      if (!Files.exists(marker)) {
        return false;
      }
      String pid = Files.readString(marker).strip();
      Files.deleteIfExists(marker);
      return pid.equals(Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      return false;
    }
  }
}
