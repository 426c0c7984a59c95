package io.rbee.keeper.jobs;

import io.rbee.jobs.Done;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.ResumeListener;
import io.rbee.jobs.ExitCode;
import io.rbee.keeper.output.JobPrinter;
import io.rbee.keeper.output.Output;
import io.rbee.keeper.output.Output.Style;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Submits an operation to the queen and follows its job live to the {@code done} event,
 * printing as it goes ({@link JobPrinter}); the job's end decides the exit code. Runs on the
 * calling thread.
 */
public final class JobRunner {
  private final QueenApi queen;
  private final Output output;
  private final boolean json;

  public JobRunner(QueenApi queen, Output output, boolean json) {
    this.queen = queen;
    this.output = output;
    this.json = json;
  }

  /** How a followed job ended, and the exit code that means. */
  public record Outcome(Done done, int exitCode) {}

  /** Submits and follows {@code operation}; the exit code. */
  public int run(Operation operation) throws JobClientException {
    return run(operation, event -> {}).exitCode();
  }

  /** Submits and follows {@code operation}, also handing every event to {@code also}. */
  public Outcome run(Operation operation, Consumer<SseEvent> also) throws JobClientException {
    return run(operation, submitted -> { }, also);
  }

  /**
   * {@link #run(Operation, Consumer)} that tells {@code onSubmitted} the job's id before any
   * event is printed.
   */
  public Outcome run(Operation operation, Consumer<Submitted> onSubmitted,
      Consumer<SseEvent> also) throws JobClientException {
    // Ctrl-C on a generation means "stop generating"; other jobs (a download, a hive start)
    // are left to finish, and the user is told how to follow or cancel them
    boolean cancelOnInterrupt = operation instanceof Operation.Infer;
    Thread[] onInterrupt = {null};
    JobPrinter printer = new JobPrinter(output, json);
    try {
      Done done = queen.run(operation, submitted -> {
        onInterrupt[0] = new Thread(() -> interrupted(submitted.jobId(), cancelOnInterrupt),
            "rbee-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt[0]);
        onSubmitted.accept(submitted);
      }, printing(printer, also));
      printer.finish(done);
      return new Outcome(done, exitCode(done));
    } catch (JobClientException | RuntimeException e) {
      printer.abort();
      throw e;
    } finally {
      if (onInterrupt[0] != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(onInterrupt[0]);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or ran: nothing to remove
        }
      }
    }
  }

  /** Runs when the keeper is interrupted (Ctrl-C, SIGTERM) while it follows a job. */
  private void interrupted(String jobId, boolean cancel) {
    if (cancel) {
      try {
        queen.cancel(jobId);
        output.err().println("interrupted: cancelled job " + jobId);
      } catch (JobClientException | RuntimeException e) {
        output.err().println("interrupted: could not cancel job " + jobId + " ("
            + e.getMessage() + "); it stops by itself once nobody follows it");
      }
    } else {
      output.err().println("interrupted: job " + jobId + " goes on; follow it with `rbee jobs"
          + " follow " + jobId + "`, stop it with `rbee jobs cancel " + jobId + "`");
    }
    output.err().flush();
  }

  /** Follows job {@code jobId} from after event {@code afterId}, printing every event. */
  public Outcome follow(String jobId, long afterId, Consumer<SseEvent> also)
      throws JobClientException {
    return follow(jobId, afterId, null, also);
  }

  /**
   * {@link #follow(String, long, Consumer)} resuming a broken stream for up to {@code window}
   * (null: the client's default, a few seconds), and saying so on stderr: "lost the queen
   * (why), retrying for up to N s…" once per outage, "resumed" when events flow again.
   */
  public Outcome follow(String jobId, long afterId, Duration window, Consumer<SseEvent> also)
      throws JobClientException {
    JobPrinter printer = new JobPrinter(output, json);
    Consumer<SseEvent> onEvent = printing(printer, also);
    Done done;
    try {
      done = window == null ? queen.follow(jobId, afterId, onEvent)
          : queen.follow(jobId, afterId, window, resumes(printer, window), onEvent);
    } catch (JobClientException | RuntimeException e) {
      printer.abort();
      throw e;
    }
    printer.finish(done);
    return new Outcome(done, exitCode(done));
  }

  private static Consumer<SseEvent> printing(JobPrinter printer, Consumer<SseEvent> also) {
    return event -> {
      printer.accept(event);
      also.accept(event);
    };
  }

  private ResumeListener resumes(JobPrinter printer, Duration window) {
    return new ResumeListener() {
      @Override
      public void lost(String problem) {
        printer.abort();
        output.say(output.paint(Style.YELLOW, "lost the queen (" + problem + "), retrying for"
            + " up to " + window.toSeconds() + " s…"));
      }

      @Override
      public void resumed() {
        output.say(output.paint(Style.YELLOW, "resumed"));
      }
    };
  }

  public QueenApi queen() {
    return queen;
  }

  /** 0 succeeded, 1 failed, 3 cancelled; a done without a final status counts as broken. */
  public static int exitCode(Done done) {
    if (done == null || done.status() == null) {
      return ExitCode.UNREACHABLE.code();
    }
    return switch (done.status()) {
      case SUCCEEDED -> ExitCode.OK.code();
      case FAILED -> ExitCode.FAILED.code();
      case CANCELLED -> ExitCode.CANCELLED.code();
      case QUEUED, RUNNING -> ExitCode.UNREACHABLE.code();
    };
  }
}
