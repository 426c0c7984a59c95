package io.rbee.keeper.jobs;

import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rbee jobs cancel <job_id>}: stop a job, across every hop it crossed. */
@Command(name = "cancel",
    description = "Cancel a job, and the work it started on a hive or worker (a download, a "
        + "spawn, a generation); a job that already ended is left as it was. Shows the job "
        + "afterwards.")
public final class JobsCancelCommand extends KeeperCommand {
  @Parameters(paramLabel = "JOB_ID", description = "The job's id (job-...).")
  String jobId;

  @Override
  public Integer call() throws Exception {
    JobInfoView.print(jobRunner().queen().cancel(jobId), output(), json());
    return ExitCode.OK.code();
  }
}
