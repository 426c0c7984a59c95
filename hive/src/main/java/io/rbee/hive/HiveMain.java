package io.rbee.hive;

import io.rbee.jobs.RbeeHome;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code rbee-hive}: the hive daemon. Serves one {@link Hive} over HTTP until SIGTERM or
 * SIGINT, then stops its workers (graceful, then forced), stops serving and exits 0.
 *
 * <p>Exit codes: 0 after a signal or {@code --help}; 1 when it cannot start (port in use);
 * 2 for a bad command line. Logs go to stdout (the launcher redirects them to a file); once
 * serving, one line {@code rbee-hive <id> listening on http://...} is printed.
 */
public final class HiveMain {
  private static final Logger LOG = LoggerFactory.getLogger(HiveMain.class);

  /** How long shutdown may take before the process halts anyway. */
  private static final long SHUTDOWN_LIMIT_MS = 20_000;

  private HiveMain() {}

  public static void main(String[] argv) {
    HiveArgs args;
    HiveConfig config;
    try {
      args = HiveArgs.parse(argv);
      config = new HiveConfig(args.hiveId(), RbeeHome.resolve(), args.llamaLibDir(),
          HiveConfig.DEFAULT_READY_TIMEOUT);
    } catch (IllegalArgumentException e) {
      System.err.println("rbee-hive: error: " + e.getMessage());
      System.err.println(HiveArgs.USAGE);
      System.exit(2);
      return;
    }
    if (args.help()) {
      System.out.println(HiveArgs.USAGE);
      System.exit(0);
    }

    HiveApp app;
    try {
      app = new HiveApp(new Hive(config)).start(args.bind(), args.port());
    } catch (RuntimeException e) {
      System.err.println("rbee-hive: error: cannot listen on " + args.bind() + ":" + args.port()
          + ": " + rootMessage(e));
      System.exit(1);
      return;
    }
    Runnable stop = once(() -> {
      LOG.info("rbee-hive {} shutting down: stopping workers, then the server", config.hiveId());
      app.close();
    });
    onSignal("TERM", stop);
    onSignal("INT", stop);
    // other ways out (System.exit elsewhere, SIGHUP) still stop the workers
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "hive-shutdown-hook"));
    LOG.info("rbee-hive {} state in {}, worker logs in {}", config.hiveId(), config.stateDir(),
        config.workerLogDir());
    System.out.println("rbee-hive " + config.hiveId() + " listening on " + app.baseUrl());
    System.out.flush();
  }

  /**
   * On {@code signal}: run {@code stop} on a fresh thread, then exit 0 (Javalin and Jetty leave
   * non-daemon threads behind, so the process must exit explicitly). A shutdown that hangs is
   * cut off after {@link #SHUTDOWN_LIMIT_MS}.
   */
  private static void onSignal(String signal, Runnable stop) {
    try {
      Signal.handle(new Signal(signal), s -> {
        Thread watchdog = new Thread(() -> {
          try {
            Thread.sleep(SHUTDOWN_LIMIT_MS);
            LOG.error("shutdown took over {} ms; halting", SHUTDOWN_LIMIT_MS);
            Runtime.getRuntime().halt(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "hive-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        new Thread(() -> {
          try {
            stop.run();
          } catch (RuntimeException e) {
            LOG.error("error while shutting down", e);
          }
          System.exit(0);
        }, "hive-shutdown").start();
      });
    } catch (IllegalArgumentException e) {
      LOG.debug("signal {} cannot be handled here: {}", signal, e.getMessage());
    }
  }

  private static Runnable once(Runnable r) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        r.run();
      }
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
