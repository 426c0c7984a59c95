package io.rbee.keeper.workers;

import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.Done;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.jobs.JobRunner;
import io.rbee.keeper.output.Output.Style;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import picocli.CommandLine.Command;

/**
 * {@code rbee ps}: the loaded models across the cluster, read from the queen's {@code Status}
 * (what the hives' heartbeats said), one line per worker. {@code --json} prints those workers
 * as the API has them ({@code WorkerInfo}, one JSON array).
 */
@Command(name = "ps",
    description = "Show the loaded models: one line per worker, busy or idle, when it unloads.",
    footer = {"%nRead from the queen's Status (the hives' heartbeats). Idle workers unload after"
        + " their keep-alive: 5m unless a request's keep_alive or the hive's --keep-alive says"
        + " otherwise (-1: never; 0: right after the request). --json prints the loaded"
        + " workers as the API lists them."})
public final class PsCommand extends KeeperCommand {
  @Override
  public Integer call() throws Exception {
    QueenApi queen = queen();
    String[] result = {null};
    // the Status job's narration is not what ps is about: only its result is read
    Done done = queen.run(new Operation.Status(), submitted -> { }, event -> {
      if (JobEvent.RESULT.equals(event.event())) {
        result[0] = event.data();
      }
    });
    if (done.status() != JobStatus.SUCCEEDED || result[0] == null) {
      output().say(output().paint(Style.RED, "error: " + (done.error() == null
          ? "job " + done.jobId() + " gave no cluster status" : done.error())));
      return done.status() == JobStatus.SUCCEEDED ? ExitCode.FAILED.code()
          : JobRunner.exitCode(done);
    }
    ClusterStatus status = Json.read(result[0], ClusterStatus.class);
    if (json()) {
      output().out().println(Json.write(LoadedModels.loaded(status))); // as the API has them
    } else {
      LoadedModels.print(status, output().out());
    }
    output().out().flush();
    return 0;
  }
}
