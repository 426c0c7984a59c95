package io.rbee.keeper.jobs;

import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rbee jobs follow <job_id> [--after N]}: a job's stream, live or replayed. */
@Command(name = "follow",
    description = "Follow a job's events live (a finished job's are replayed) to its end.")
public final class JobsFollowCommand extends KeeperCommand {
  @Parameters(paramLabel = "JOB_ID", description = "The job's id (job-...).")
  String jobId;

  @Option(names = "--after", paramLabel = "N", defaultValue = "0",
      description = "Only events after event id N (default: ${DEFAULT-VALUE}, from the start).")
  long after;

  @Override
  public Integer call() throws Exception {
    if (after < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--after must be >= 0, got " + after);
    }
    return jobRunner().follow(jobId, after, event -> {}).exitCode();
  }
}
