package io.rbee.queen;

import io.rbee.jobs.RbeeHome;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code queen-rbee [--port 8500] [--bind 127.0.0.1] [--local-hive]}: runs the queen until
 * SIGTERM. State under {@code $RBEE_HOME} (default {@code ~/.rbee}).
 */
public final class QueenMain {
  private static final Logger LOG = LoggerFactory.getLogger(QueenMain.class);
  static final String USAGE = "usage: queen-rbee [--port N] [--bind ADDR] [--local-hive]";

  private QueenMain() {}

  public static void main(String[] args) {
    int port = 8500;
    String bind = "127.0.0.1";
    boolean localHive = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
          case "--bind" -> bind = value(args, ++i, "--bind");
          case "--local-hive" -> localHive = true;
          case "-h", "--help" -> {
            System.out.println(USAGE);
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be 0..65535, got " + port);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("queen-rbee: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
    Path home = RbeeHome.resolve();
    QueenApp app;
    try {
      app = new QueenApp(home, bind, port, localHive);
    } catch (RuntimeException e) {
      System.err.println("queen-rbee: error: cannot start on " + bind + ":" + port + ": "
          + e.getMessage());
      System.exit(1);
      return;
    }
    LOG.info("queen-rbee listening on {} ({} mode, RBEE_HOME {})", app.http().baseUrl(),
        localHive ? "integrated" : "distributed", home);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("queen-rbee stopping");
      app.close();
    }, "queen-shutdown"));
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
