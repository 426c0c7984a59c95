package io.rbee.keeper.jobs;

import io.rbee.jobs.Done;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.JobInfo;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.output.JobPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rbee jobs logs <job_id>}: a job's whole stored stream, printed as a live follow
 * prints it (or its raw events as JSON lines with {@code --json}), then it exits. It never
 * waits: of a running job it prints the events there were when asked and says how to follow
 * the rest. Exit code: a finished job's, like {@code follow}; 0 for a running job.
 */
@Command(name = "logs",
    description = {
      "Print a job's stored events from the start, as follow prints them (--json: JSON lines),"
          + " then exit.",
      "Never waits: of a running job it prints what there is so far; follow waits for the rest."
          + " Jobs from before a queen restart are replayed from its history."
    })
public final class JobsLogsCommand extends KeeperCommand {
  @Parameters(paramLabel = "JOB_ID", description = "The job's id (job-...).")
  String jobId;

  @Override
  public Integer call() throws Exception {
    var queen = jobRunner().queen();
    JobInfo info = queen.status(jobId);
    JobPrinter printer = new JobPrinter(output(), json());
    Done done = null;
    if (info.status().isFinal() || info.lastEventId() > 0) {
      done = queen.replay(jobId, info.status().isFinal() ? Long.MAX_VALUE : info.lastEventId(),
          printer);
    }
    if (done != null) {
      printer.finish(done);
      return JobRunner.exitCode(done);
    }
    printer.abort();
    output().say("job " + jobId + " is " + info.status().wire() + "; follow the rest with: rbee"
        + " jobs follow " + jobId + " --after " + info.lastEventId());
    return ExitCode.OK.code();
  }
}
