package io.rbee.keeper;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClientException;
import io.rbee.keeper.jobs.JobRunner;
import io.rbee.keeper.output.Output;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.keeper.queen.QueenRecord;
import io.rbee.keeper.queen.QueenUrl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every {@code rbee} command that does something: reaches the root's options and
 * {@link Services}, writes through the command's own writers, and finds the queen (starting
 * one on this machine when the queen URL is a loopback one and nothing answers there).
 */
public abstract class KeeperCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  private Output output;

  /** The command's options, parsed; runs the command; returns its exit code. */
  @Override
  public abstract Integer call() throws Exception;

  protected final Rbee root() {
    return (Rbee) spec.root().userObject();
  }

  protected final Services services() {
    return root().services();
  }

  protected final GlobalOptions globals() {
    return root().globals();
  }

  protected final boolean json() {
    return globals().json();
  }

  /** Where this command writes (the writers picocli holds, so tests can capture them). */
  protected final Output output() {
    if (output == null) {
      output = root().output(spec.commandLine());
    }
    return output;
  }

  /**
   * The queen URL in effect (option, environment, the queen this {@code RBEE_HOME} started when
   * it runs: {@code rbee queen start --port N} is followed to N, default); a usage error when
   * malformed.
   */
  protected final String queenUrl() {
    return QueenUrl.require(globals().queenUrl(services().env(),
        () -> services().launcher().running().map(QueenRecord::url)));
  }

  /**
   * The queen at the queen URL, answering {@code /health}. When none answers and the URL is a
   * loopback one (and autostart is not off), starts one on that URL's port and says so on
   * stderr; otherwise fails with exit code 4.
   */
  protected final QueenApi queen() {
    String url = queenUrl();
    QueenApi api = services().queens().apply(url);
    if (api.healthy()) {
      return api;
    }
    if (!QueenUrl.isLoopback(url)) {
      throw new KeeperException(ExitCode.UNREACHABLE, "queen at " + url + " is not reachable");
    }
    if (!globals().autostart(services().env())) {
      throw new KeeperException(ExitCode.UNREACHABLE, "queen at " + url
          + " is not reachable (not running? start it with: rbee queen start)");
    }
    output().say("queen not running at " + url + "; starting it (log: "
        + services().launcher().logFile() + ")");
    services().launcher().start(QueenUrl.port(url), false, output()::say);
    return api;
  }

  /** Submits {@code operation} to the queen and follows it to its end; the exit code. */
  protected final int runJob(Operation operation) throws Exception {
    operation.validate(); // a bad value is a usage error, found before any queen is started
    // straight to the job, without asking /health first (a round trip, ~9 ms of a command's
    // start): a queen that is not there refuses the connection before a byte is sent, and
    // only then is it looked for, and started, the way queen() does
    QueenApi api = services().queens().apply(queenUrl());
    try {
      return new JobRunner(api, output(), json()).run(operation);
    } catch (JobClientException e) {
      if (!notThereYet(e)) {
        throw e;
      }
    }
    return jobRunner().run(operation);
  }

  /**
   * Whether a first call failed before anything was sent because there is no queen yet: the
   * connection was refused, or there is no token (the queen makes it when it first starts).
   */
  private static boolean notThereYet(JobClientException e) {
    return e.connectionRefused()
        || (e.kind() == JobClientException.Kind.UNAUTHORIZED && e.httpStatus() == 0);
  }

  protected final JobRunner jobRunner() {
    return new JobRunner(queen(), output(), json());
  }
}
