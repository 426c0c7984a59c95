package io.rbee.keeper.queen;

import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.output.ResultView;
import io.rbee.narration.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code rbee queen status}: whether the queen runs, where, and whether it answers. */
@Command(name = "status",
    description = "Show whether the queen runs: URL, pid, local hive, health. Exit 0 when it "
        + "answers, 4 when it does not.")
public final class QueenStatusCommand extends KeeperCommand {
  @Override
  public Integer call() {
    Optional<QueenRecord> rec = services().launcher().running();
    String url = rec.map(QueenRecord::url).orElse(queenUrl());
    boolean healthy = services().queens().apply(url).healthy();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("running", healthy || rec.isPresent());
    status.put("url", url);
    status.put("health", healthy ? "ok" : "not answering");
    rec.ifPresent(r -> {
      status.put("pid", r.pid());
      status.put("local_hive", r.localHive());
      status.put("started_at", r.startedAt());
      status.put("log", services().launcher().logFile().toString());
    });
    if (rec.isEmpty() && healthy) {
      status.put("started_by", "not this RBEE_HOME (no pid file)");
    }
    String text = Json.write(status);
    if (json()) {
      output().out().println(text);
    } else {
      ResultView.render(text, output().out());
    }
    output().out().flush();
    return healthy ? ExitCode.OK.code() : ExitCode.UNREACHABLE.code();
  }
}
