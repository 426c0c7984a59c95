package io.rbee.keeper.jobs;

import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import io.rbee.narration.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rbee jobs submit '<operation json>'}: submit, then follow live (or detach). */
@Command(name = "submit",
    description = {
      "Submit an operation as a job and follow it live. OPERATION is the operation's JSON, "
          + "e.g. '{\"HiveCheck\": {}}', or a whole request body '{\"operation\": {...}}'.",
      "The job id is printed on stderr."
    })
public final class JobsSubmitCommand extends KeeperCommand {
  @Parameters(paramLabel = "OPERATION", description = "The operation, as JSON.")
  String operation;

  @Option(names = "--detach",
      description = "Do not follow: print {\"job_id\", \"sse_url\"} on stdout and exit 0.")
  boolean detach;

  @Override
  public Integer call() throws Exception {
    Operation op = OperationJson.parse(operation);
    op.validate();
    JobRunner runner = jobRunner();
    if (detach) {
      Submitted submitted = runner.queen().submit(op);
      output().out().println(Json.write(submitted));
      output().out().flush();
      return ExitCode.OK.code();
    }
    return runner.run(op, submitted -> output().say("job " + submitted.jobId()), event -> {})
        .exitCode();
  }
}
