package io.rbee.keeper.jobs;

import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rbee jobs status <job_id>}: where a job is. */
@Command(name = "status",
    description = "Show a job: its operation, status, times, error and last event id.")
public final class JobsStatusCommand extends KeeperCommand {
  @Parameters(paramLabel = "JOB_ID", description = "The job's id (job-...).")
  String jobId;

  @Override
  public Integer call() throws Exception {
    JobInfoView.print(jobRunner().queen().status(jobId), output(), json());
    return ExitCode.OK.code();
  }
}
