package io.rbee.keeper.workers;

import io.rbee.jobs.Operation;
import io.rbee.jobs.ExitCode;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import io.rbee.narration.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code rbee worker logs}: the end of a worker's log, a plain read (no job); {@code --json}:
 * one object {@code {"hive_id", "worker_id", "lines": [...]}}.
 */
@Command(name = "logs",
    description = "Print the last lines of a worker's log (its output, kept on its hive in "
        + "$RBEE_HOME/logs/workers/WORKER_ID.log), also of a worker that has ended.")
public final class WorkerLogsCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "200",
      description = "How many lines, from the end (default: ${DEFAULT-VALUE}).")
  int tail;

  @Parameters(paramLabel = "WORKER_ID", description = "The worker's id.")
  String workerId;

  /** What {@code --json} prints: the log's last lines, without their line breaks. */
  record WorkerLog(String hiveId, String workerId, List<String> lines) {}

  @Override
  public Integer call() throws Exception {
    if (tail < 1) {
      throw new ParameterException(spec.commandLine(), "--tail must be >= 1, got " + tail);
    }
    String hiveId = hive.hive() == null ? Operation.DEFAULT_HIVE : hive.hive();
    String text = queen().workerLogs(hiveId, workerId, tail);
    if (json()) { // one JSON object, like every read command's answer with --json
      output().out().println(Json.write(new WorkerLog(hiveId, workerId, text.lines().toList())));
    } else {
      output().out().print(text);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        output().out().println();
      }
    }
    output().out().flush();
    return ExitCode.OK.code();
  }
}
