package io.rbee.keeper.jobs;

import io.rbee.keeper.KeeperCommand;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code rbee jobs follow <job_id> [--after N]}: a job's stream, live or replayed, to its end.
 * A dropped connection or a queen restart does not end it: it resumes after the last event it
 * printed (Last-Event-ID) for up to {@link #RESUME_WINDOW}, saying so on stderr.
 */
@Command(name = "follow",
    description = {
      "Follow a job's events live (a finished job's are replayed) to its end.",
      "A dropped connection or a queen restart does not end it: it says \"lost the queen\" on "
          + "stderr and resumes after the last event it printed, for up to 60 s."
    })
public final class JobsFollowCommand extends KeeperCommand {
  /** How long follow keeps trying to resume: a queen restart takes seconds, not milliseconds. */
  static final Duration RESUME_WINDOW = Duration.ofSeconds(60);

  @Parameters(paramLabel = "JOB_ID", description = "The job's id (job-...).")
  String jobId;

  @Option(names = "--after", paramLabel = "N", defaultValue = "0",
      description = "Only events after event id N (default: ${DEFAULT-VALUE}, from the start).")
  long after;

  @Override
  public Integer call() throws Exception {
    if (after < 0) {
      throw new ParameterException(spec.commandLine(), "--after must be >= 0, got " + after);
    }
    return jobRunner().follow(jobId, after, RESUME_WINDOW, event -> {}).exitCode();
  }
}
