package io.rbee.keeper.queen;

import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.KeeperException;
import io.rbee.narration.Json;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code rbee queen start}: starts the queen on 127.0.0.1 as a detached process, waits until
 * it answers, and says where it runs and where its log is. A queen already answering is not an
 * error.
 */
@Command(name = "start",
    description = {
      "Start the queen on this machine (127.0.0.1) and wait until it answers; its log is "
          + "$RBEE_HOME/logs/queen.log.",
      "Not needed before other commands: they start a queen (without --local-hive) when the "
          + "queen URL is local and nothing answers there."
    })
public final class QueenStartCommand extends KeeperCommand {
  static final int DEFAULT_PORT = 8500;

  @Option(names = "--port", paramLabel = "N",
      description = "The port (default: the queen URL's port when it is local, else 8500).")
  Integer port;

  @Option(names = "--local-hive",
      description = "Run the localhost hive inside the queen (integrated mode): no hive "
          + "daemon, no rbee hive start.")
  boolean localHive;

  @Override
  public Integer call() {
    QueenLauncher launcher = services().launcher();
    Optional<QueenRecord> running = launcher.running();
    if (running.isPresent()) {
      QueenRecord rec = running.get();
      if (!services().queens().apply(rec.url()).healthy()) {
        throw new KeeperException(ExitCode.UNREACHABLE, "the queen (pid "
            + rec.pid() + ") runs but does not answer " + rec.url() + "/health (log: "
            + launcher.logFile() + ")");
      }
      output().say("queen already running at " + rec.url() + " (pid " + rec.pid() + ", log: "
          + launcher.logFile() + ")");
      return print(rec);
    }
    int p = port();
    String url = QueenUrl.local(p);
    if (services().queens().apply(url).healthy()) {
      output().say("a queen already answers at " + url
          + " (not started from this RBEE_HOME: no pid file)");
      return ExitCode.OK.code();
    }
    QueenRecord rec = launcher.start(p, localHive, output()::say);
    output().say("queen running at " + rec.url() + " (pid " + rec.pid()
        + (rec.localHive() ? ", with the localhost hive inside" : "") + ")");
    output().say("log: " + launcher.logFile());
    output().say("dashboard: " + rec.url() + "/ (log in with this installation's token:"
        + " $RBEE_HOME/token, or RBEE_TOKEN)");
    return print(rec);
  }

  private int port() {
    int p;
    if (port != null) {
      p = port;
    } else {
      String url = queenUrl();
      p = QueenUrl.isLoopback(url) ? QueenUrl.port(url) : DEFAULT_PORT;
    }
    if (p < 1 || p > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 1..65535, got " + p);
    }
    return p;
  }

  private int print(QueenRecord rec) {
    if (json()) {
      output().out().println(Json.write(rec));
      output().out().flush();
    }
    return ExitCode.OK.code();
  }
}
