package io.rbee.keeper.inference;

import io.rbee.jobs.Operation;
import io.rbee.keeper.KeeperCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rbee infer}: operation Infer. The generated text goes to stdout as it arrives and
 * nothing else does; narration and the final stats line go to stderr, so
 * {@code rbee infer ... > out.txt} captures only the text.
 */
@Command(name = "infer",
    description = {
      "Complete PROMPT with a model (operation Infer; no chat template).",
      "Tokens stream to stdout as they are generated; narration and the stats line go to "
          + "stderr."
    })
public final class InferCommand extends KeeperCommand {
  @Option(names = "--model", paramLabel = "M", required = true,
      description = "The model's id: a ready worker that has it runs the prompt; if there is "
          + "none, the queen spawns one on the CPU of a hive that has the model.")
  String model;

  @Option(names = "--hive", paramLabel = "ID",
      description = "The hive to run on (default: the queen chooses).")
  String hive;

  @Option(names = "--max-tokens", paramLabel = "N",
      description = "The most tokens to generate, 1..32768 (default: 128).")
  Integer maxTokens;

  @Option(names = "--temperature", paramLabel = "T",
      description = "0..2; 0 is greedy and deterministic (default: 0.8).")
  Double temperature;

  @Option(names = "--top-p", paramLabel = "P", description = "In (0, 1] (default: 0.95).")
  Double topP;

  @Option(names = "--top-k", paramLabel = "K", description = ">= 0, 0 = off (default: 40).")
  Integer topK;

  @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: random).")
  Long seed;

  @Option(names = "--stop", paramLabel = "STR",
      description = "Stop when this text is generated; repeatable.")
  List<String> stop;

  @Parameters(paramLabel = "PROMPT", arity = "1..*",
      description = "The text to complete (several words are joined with spaces).")
  List<String> prompt;

  @Override
  public Integer call() throws Exception {
    return runJob(operation());
  }

  /** The operation this command line describes. */
  Operation.Infer operation() {
    return new Operation.Infer(hive, model, String.join(" ", prompt), maxTokens, temperature,
        topP, topK, seed, stop);
  }
}
