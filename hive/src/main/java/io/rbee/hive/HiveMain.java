package io.rbee.hive;

import io.rbee.hive.heartbeats.Heartbeats;
import io.rbee.hive.heartbeats.QueenLink;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.cli.CommandLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rbee-hive}: the hive daemon. Serves one {@link Hive} over HTTP until SIGTERM or
 * SIGINT, then stops its workers (graceful, then forced), stops serving and exits 0.
 * Anything else that ends the JVM normally also stops the workers first.
 *
 * <p>Exit codes ({@link ExitCode}): 0 after a signal or {@code --help}; 1 when it cannot start
 * (port in use); 2 for a bad command line (message and usage on stderr). Logs go to stdout
 * (the launcher redirects them to a file); once serving, one line
 * {@code rbee-hive <id> listening on http://...} is printed.
 */
@Command(
    name = "rbee-hive",
    sortOptions = false,
    description = "The rbee hive daemon: owns this machine's workers, models and devices.",
    footer = "%nState lives under $RBEE_HOME (default ~/.rbee).")
public final class HiveMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(HiveMain.class);

  /** How long shutdown may take before the process halts anyway. */
  private static final long SHUTDOWN_LIMIT_MS = 20_000;

  @Spec CommandSpec spec;

  @Mixin HiveArgs args;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  HiveMain() {}

  public static void main(String[] argv) {
    // returns only when the hive did not start (a signal ends it through its shutdown hook)
    System.exit(CommandLines.of(new HiveMain()).execute(argv));
  }

  /** Starts the hive and serves until a signal; returns only when it cannot start. */
  @Override
  public Integer call() throws InterruptedException {
    CommandLines.port(spec, "--port", args.port);
    String queenUrl;
    Duration beatEvery;
    HiveLimits limits;
    try {
      // every usage error before the token: a mistyped flag leaves no token file behind
      queenUrl = args.queenUrl();
      beatEvery = args.heartbeatInterval();
      limits = args.limits();
    } catch (IllegalArgumentException e) {
      throw CommandLines.usage(spec, e.getMessage());
    }
    Path home = RbeeHome.resolve();
    AccessToken token;
    try {
      // RBEE_TOKEN from the queen that started this hive, else the installation's token file
      token = TokenFile.forDaemon(home, System.getenv());
    } catch (RuntimeException e) {
      System.err.println("rbee-hive: error: " + e.getMessage());
      return ExitCode.FAILED.code();
    }
    HiveConfig config;
    try {
      config = new HiveConfig(args.hiveId, home, args.llamaLibDir(),
          HiveConfig.DEFAULT_READY_TIMEOUT, limits, token).withWorkerHost(args.bind);
    } catch (IllegalArgumentException e) {
      throw CommandLines.usage(spec, e.getMessage());
    }
    Hive hive;
    try {
      hive = new Hive(config);
    } catch (RuntimeException e) {
      System.err.println("rbee-hive: error: cannot open hive " + config.hiveId() + " in "
          + config.stateDir() + ": " + rootMessage(e));
      return ExitCode.FAILED.code();
    }
    HiveApp app;
    try {
      app = new HiveApp(hive).start(args.bind, args.port);
    } catch (RuntimeException e) {
      System.err.println("rbee-hive: error: cannot listen on " + args.bind + ":" + args.port
          + ": " + rootMessage(e));
      return ExitCode.FAILED.code();
    }
    // without a queen the loop still samples the workers (that is what unloads idle ones);
    // its beats go nowhere
    Heartbeats beats = Heartbeats.start(hive, app.baseUrl(), beatEvery,
        queenUrl == null ? new Unheard() : new QueenLink(queenUrl, beatEvery, token));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      beats.close();
      shutdown(app, config);
    }, "hive-shutdown"));
    LOG.info("rbee-hive {} requires the access token from {} on every path but /health",
        config.hiveId(), token.source());
    LOG.info("rbee-hive {} state in {}, worker logs in {}; limits: {} llama.cpp thread(s) per"
        + " worker by default, {} spawn(s) and {} download(s) at once, {} loaded worker(s);"
        + " workers stay loaded {} once idle unless a request says otherwise", config.hiveId(),
        config.stateDir(), config.workerLogDir(), config.limits().workerThreads(),
        config.limits().maxSpawns(), config.limits().maxDownloads(),
        config.limits().maxWorkers() == 0 ? "no limit on" : "at most "
            + config.limits().maxWorkers(), config.limits().workerKeepAlive());
    if (queenUrl != null) {
      LOG.info("rbee-hive {} beats to the queen at {} every {} ms", config.hiveId(), queenUrl,
          beatEvery.toMillis());
    } else {
      LOG.info("rbee-hive {} sends no heartbeats (no --queen-url); it still samples its"
          + " workers to unload idle ones", config.hiveId());
    }
    System.out.println("rbee-hive " + config.hiveId() + " listening on " + app.baseUrl());
    System.out.flush();
    new CountDownLatch(1).await(); // serve until a signal runs the shutdown hook
    return ExitCode.OK.code();
  }

  /**
   * Runs on SIGTERM/SIGINT (as the JVM's shutdown hook): stops the workers and the server, then
   * halts with 0, since Javalin and Jetty leave non-daemon threads that would otherwise keep
   * the process alive. A shutdown that hangs is cut off after {@link #SHUTDOWN_LIMIT_MS}.
   */
  private static void shutdown(HiveApp app, HiveConfig config) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(SHUTDOWN_LIMIT_MS);
        LOG.error("shutdown took over {} ms; halting", SHUTDOWN_LIMIT_MS);
        Runtime.getRuntime().halt(ExitCode.FAILED.code());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "hive-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      LOG.info("rbee-hive {} shutting down: stopping workers, then the server", config.hiveId());
      app.close();
      LOG.info("rbee-hive {} stopped", config.hiveId());
    } catch (RuntimeException e) {
      LOG.error("error while shutting down", e);
    }
    Runtime.getRuntime().halt(ExitCode.OK.code());
  }

  /** Where the beats of a hive started without {@code --queen-url} go: nowhere. */
  private static final class Unheard implements io.rbee.hive.heartbeats.BeatSink {
    @Override
    public void send(io.rbee.jobs.HiveHeartbeat beat) {
      // no queen to tell; the loop runs for its load samples
    }

    @Override
    public String describe() {
      return "nobody (no --queen-url)";
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
