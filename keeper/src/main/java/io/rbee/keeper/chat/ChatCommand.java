package io.rbee.keeper.chat;

import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.Operation;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.KeeperException;
import io.rbee.keeper.queen.QueenApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rbee chat}: a chat with a model over the queen's {@code POST /v1/chat/completions},
 * streamed, the conversation kept for the session ({@link ChatSession}). Answers go to stdout
 * and nothing else does, so {@code rbee chat ... < questions.txt > answers.txt} works.
 */
@Command(name = "chat",
    description = {
      "Chat with a model: each line you type is a turn, sent with the whole conversation so far"
          + " (the model's own chat template makes the prompt); the answer streams to stdout.",
      "Runs over the queen's OpenAI-compatible POST /v1/chat/completions; each answer is a queen"
          + " job, named on stderr (`rbee jobs follow ID` shows its scheduling and loading)."
    },
    footerHeading = "%nKeys:%n",
    footer = {
      "  Enter     send the line (an empty line sends nothing; one line is one message)",
      "  Ctrl-C    while an answer streams: stop it (the queen cancels the generation); what came",
      "            stays in the conversation (if nothing came, the question is dropped)",
      "  Ctrl-C    at the prompt: leave, as Ctrl-D does",
      "  Ctrl-D    leave (the end of input)",
      "",
      "With stdin not a terminal there is no prompt: every line is a turn, and the chat ends at",
      "the end of input. A turn that fails (the job failed, 429, 503) prints \"error: ...\" and is",
      "dropped from the conversation; an unknown model, a refused token, a refused request (400)",
      "or an unreachable queen end the chat. Exit code: 0 when every turn was answered or stopped,",
      "else that of the last failure. --json is refused: the chat prints text.",
    })
public final class ChatCommand extends KeeperCommand {
  @Option(names = "--model", paramLabel = "M", required = true,
      description = "The model's id: a ready worker that has it answers; if there is none, the "
          + "queen spawns one on a hive that has the model.")
  String model;

  @Option(names = "--system", paramLabel = "TEXT",
      description = "A system message that starts the conversation.")
  String system;

  @Option(names = "--max-tokens", paramLabel = "N",
      description = "The most tokens per answer, 1..32768 (default: until the model stops or "
          + "its context is full).")
  Integer maxTokens;

  @Option(names = "--temperature", paramLabel = "T",
      description = "0..2; 0 is greedy and deterministic (default: 1, as OpenAI's).")
  Double temperature;

  @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: random).")
  Long seed;

  @Option(names = "--keep-alive", paramLabel = "D",
      description = "How long the worker keeps the model loaded after each answer: 30s, 5m, "
          + "1h, -1 = always, 0 = unload at once (default: the worker's, 5m).")
  String keepAlive;

  @Option(names = {"-v", "--verbose"},
      description = "After each answer, its token counts and why it ended (on stderr).")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (json()) {
      throw new KeeperException(ExitCode.USAGE, "rbee chat prints text, not --json; for JSON, "
          + "POST /v1/chat/completions to the queen (docs/API.md)");
    }
    // a bad value is a usage error, found before any queen is started
    new Operation.Infer(null, model, null, maxTokens == null ? 1 : maxTokens, temperature, null,
        null, seed, null, List.of(new ChatMessage("user", "-")), keepAlive).validate();
    QueenApi queen = queen();
    ChatInput input = ChatInput.reading(services().stdin());
    ChatSession session = new ChatSession(queen, output(), new ChatSession.Settings(model,
        system, maxTokens, temperature, seed, keepAlive, services().terminal(), verbose), input);
    CtrlC ctrlC = CtrlC.install(session::interrupt);
    try {
      return session.run();
    } finally {
      if (ctrlC != null) {
        ctrlC.close();
      }
    }
  }
}
