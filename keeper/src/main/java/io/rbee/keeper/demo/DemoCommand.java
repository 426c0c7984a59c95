package io.rbee.keeper.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.Operation;
import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.jobs.JobRunner;
import io.rbee.keeper.output.Output.Style;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.keeper.queen.QueenRecord;
import io.rbee.keeper.queen.QueenUrl;
import io.rbee.narration.Json;
import io.rbee.narration.JobEvent;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;

/**
 * {@code rbee demo}: on this machine, ensure the queen runs, start the localhost hive, check
 * it, download the demo model and complete "Once upon a time" with it — each step a job whose
 * narration is shown under a header line; the tokens go to stdout. Stops at the first step
 * that does not succeed, with that step's exit code; after the last, says what keeps running
 * and how to stop it.
 */
@Command(name = "demo",
    description = {
      "Run the whole path on this machine: start the queen if needed, start the localhost "
          + "hive, check it, get the demo model (generated on the hive: random weights, no "
          + "download, it talks nonsense), and generate text with it.",
      "The generated text goes to stdout; everything else to stderr. The queen, the hive and "
          + "the worker keep running afterwards: `rbee queen stop` stops them all."
    })
public final class DemoCommand extends KeeperCommand {
  static final String PROMPT = "Once upon a time";
  static final int MAX_TOKENS = 48;
  static final int STEPS = 4;

  @Override
  public Integer call() throws Exception {
    QueenApi queen = queen();
    JobRunner runner = new JobRunner(queen, output(), json());
    String hive = Operation.DEFAULT_HIVE;

    header(1, "start the local hive");
    if (queenRunsLocalHive()) {
      output().say("skipped: the queen runs the localhost hive inside itself (--local-hive)");
    } else {
      int code = runner.run(new Operation.HiveStart(hive, null));
      if (code != ExitCode.OK.code()) {
        return code;
      }
    }

    header(2, "check the hive");
    int code = runner.run(new Operation.HiveCheck(hive));
    if (code != ExitCode.OK.code()) {
      return code;
    }

    header(3, "download the demo model");
    AtomicReference<String> modelId = new AtomicReference<>("demo");
    code = runner.run(new Operation.ModelDownload(hive, "demo"), event -> {
      if (JobEvent.RESULT.equals(event.event())) {
        String id = idOf(event.data());
        if (id != null) {
          modelId.set(id);
        }
      }
    }).exitCode();
    if (code != ExitCode.OK.code()) {
      return code;
    }

    header(4, "generate with " + modelId.get() + ": \"" + PROMPT + "\"");
    code = runner.run(new Operation.Infer(hive, modelId.get(), PROMPT, MAX_TOKENS, 0.0, null,
        null, null, null));
    if (code == ExitCode.OK.code()) {
      whatKeepsRunning(hive, modelId.get());
    }
    return code;
  }

  /** What the demo leaves running, and how to use it or stop it: not a silent surprise. */
  private void whatKeepsRunning(String hive, String model) {
    output().say("");
    output().say("The queen, hive " + hive + " and the " + model + " worker keep running (a"
        + " worker unloads itself once idle for its keep-alive, 5 min by default). Next: `rbee"
        + " infer --model " + model + " \"Hello\"`, `rbee ps`, `rbee chat --model " + model
        + "`; `rbee queen stop` stops them all.");
  }

  private void header(int step, String what) {
    output().say(output().paint(Style.BOLD, "== " + step + "/" + STEPS + " " + what));
  }

  /** True when the queen at the queen URL is ours and was started with --local-hive. */
  private boolean queenRunsLocalHive() {
    int port = QueenUrl.port(queenUrl());
    return services().launcher().running()
        .filter(rec -> rec.port() == port)
        .map(QueenRecord::localHive)
        .orElse(false);
  }

  private static String idOf(String json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      JsonNode id = node == null ? null : node.get("id");
      return id != null && id.isTextual() ? id.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
