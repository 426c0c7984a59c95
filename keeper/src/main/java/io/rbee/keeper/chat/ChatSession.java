package io.rbee.keeper.chat;

import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.client.JobClientException;
import io.rbee.keeper.Failures;
import io.rbee.keeper.output.NarrationLine;
import io.rbee.keeper.output.Output;
import io.rbee.keeper.output.Output.Style;
import io.rbee.keeper.queen.ChatAnswer;
import io.rbee.keeper.queen.ChatCall;
import io.rbee.keeper.queen.ChatListener;
import io.rbee.keeper.queen.ChatRequest;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.narration.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat: reads the user's lines from {@link ChatInput}, sends each with the whole
 * conversation so far (system, user and assistant messages) and streams the answer to stdout
 * as it comes, each answer ended by a line break. Everything else goes to stderr: the prompt
 * (on a terminal), one line per answer naming its job, errors, and with {@code verbose} the
 * token counts.
 *
 * <p>What is kept: a turn that failed is dropped from the conversation (its user message
 * too), so a retry does not repeat it; an answer stopped with Ctrl-C is kept as far as it
 * came (the user saw it and may refer to it), or dropped with its question when nothing came.
 *
 * <p>Failures that every later turn would meet too end the session by being thrown: the
 * queen refused the token (401), the model is unknown (404), the request is invalid (400,
 * a prompt too long for the context included), the queen is unreachable. Others (a job
 * that failed, 429, 503, a stream that broke) print {@code error: ...} and the session goes
 * on; the session then ends with that failure's exit code.
 *
 * <p>Threads: {@link #run} on one thread; {@link #interrupt} from any (a signal handler).
 */
final class ChatSession {
  /** What the command line said, fixed for the session. */
  record Settings(String model, String system, Integer maxTokens, Double temperature,
      Long seed, String keepAlive, boolean prompt, boolean verbose) {}

  private static final String ACTOR = "keeper";

  private final QueenApi queen;
  private final Output output;
  private final Settings settings;
  private final ChatInput input;
  private final List<ChatMessage> history = new ArrayList<>();
  private final Object lock = new Object();
  // the turn being answered, or null at the prompt; guarded by lock
  private ChatCall current;

  ChatSession(QueenApi queen, Output output, Settings settings, ChatInput input) {
    this.queen = queen;
    this.output = output;
    this.settings = settings;
    this.input = input;
    if (settings.system() != null && !settings.system().isBlank()) {
      history.add(new ChatMessage("system", settings.system()));
    }
  }

  /**
   * Runs the chat until the input ends or Ctrl-C at the prompt; the exit code: 0 when every
   * turn was answered (or stopped by the user), else that of the last turn that failed.
   *
   * @throws JobClientException a failure that ends the session (see the class comment)
   */
  int run() throws JobClientException, InterruptedException {
    int exitCode = 0;
    if (settings.prompt()) {
      output.say(output.paint(Style.DIM, "Chatting with " + settings.model() + " on "
          + queen.url() + ". Enter sends a line; Ctrl-C stops an answer; Ctrl-D or Ctrl-C"
          + " here leaves."));
    }
    while (true) {
      if (settings.prompt()) {
        output.err().print(output.paint(Style.BOLD, "> "));
        output.err().flush();
      }
      ChatInput.Event event = input.next();
      if (event instanceof ChatInput.Line line) {
        if (line.text().isBlank()) {
          continue;
        }
        int code = turn(line.text());
        exitCode = code == 0 ? exitCode : code;
      } else {
        if (event instanceof ChatInput.End end && end.why() != null) {
          output.say(output.paint(Style.RED, "error: " + end.why()));
        } else if (settings.prompt()) {
          output.say(""); // the shell's prompt on a line of its own
        }
        return exitCode;
      }
    }
  }

  /** Ctrl-C: stops the answer being read; at the prompt, ends the session. Never blocks. */
  void interrupt() {
    synchronized (lock) {
      if (current != null) {
        current.cancel();
        return;
      }
    }
    input.interrupt();
  }

  /** The conversation so far (for tests). */
  List<ChatMessage> history() {
    return List.copyOf(history);
  }

  /** Sends {@code text} with the conversation and prints the answer; 0 or the exit code. */
  private int turn(String text) throws JobClientException {
    history.add(new ChatMessage("user", text));
    ChatAnswer answer;
    Printer printer = new Printer();
    try {
      ChatCall call = queen.chat(new ChatRequest(settings.model(), history,
          settings.maxTokens(), settings.temperature(), settings.seed(),
          settings.keepAlive()));
      synchronized (lock) {
        current = call;
      }
      answer = call.execute(printer);
    } catch (JobClientException e) {
      printer.endLine(false);
      history.remove(history.size() - 1);
      if (fatal(e)) {
        throw e;
      }
      output.say(output.paint(Style.RED, "error: " + e.getMessage()));
      return Failures.exitCode(e);
    } finally {
      synchronized (lock) {
        current = null;
      }
    }
    printer.endLine(!answer.stopped());
    if (answer.stopped() && answer.text().isEmpty()) {
      history.remove(history.size() - 1);
    } else {
      history.add(new ChatMessage("assistant", answer.text()));
    }
    if (answer.stopped()) {
      if (settings.prompt() && answer.text().isEmpty()) {
        output.say(""); // off the line of the terminal's ^C
      }
      say(Level.WARN, "chat_stopped", "Stopped" + job(answer.jobId()) + (answer.text().isEmpty()
          ? "; the question is dropped from the conversation"
          : "; the answer so far stays in the conversation"));
    } else if (settings.verbose()) {
      say(Level.INFO, "chat_done", count(answer.completionTokens()) + " tokens from a "
          + count(answer.promptTokens()) + "-token prompt (" + history.size() + " messages"
          + " now), finish: " + answer.finishReason());
    }
    return 0;
  }

  /** True for a failure every later turn would meet too. */
  private static boolean fatal(JobClientException e) {
    return switch (e.kind()) {
      case UNAUTHORIZED, NOT_FOUND, UNREACHABLE, PROTOCOL -> true;
      case REJECTED -> e.httpStatus() == 400;
      case STREAM_BROKEN -> false;
    };
  }

  private void say(Level level, String action, String human) {
    output.say(NarrationLine.format(ACTOR, action, level, human, output));
  }

  private static String job(String jobId) {
    return jobId == null ? "" : " (job " + jobId + ")";
  }

  private static String count(Long n) {
    return n == null ? "?" : Long.toString(n);
  }

  /** Prints one answer: its job line on stderr, its text on stdout as it comes. */
  private final class Printer implements ChatListener {
    private boolean printed;
    private boolean endsWithLineBreak;

    @Override
    public void started(String jobId) {
      if (jobId != null) {
        say(Level.INFO, "chat_job", "Job " + jobId + " answers; `rbee jobs follow " + jobId
            + "` shows how");
      }
    }

    @Override
    public void text(String piece) {
      output.out().print(piece);
      output.out().flush();
      printed = true;
      endsWithLineBreak = piece.endsWith("\n");
    }

    /**
     * Ends the answer's line: a whole answer is always followed by a line break (an empty one
     * is an empty line), one cut short only when some of it was printed.
     */
    void endLine(boolean whole) {
      if ((whole || printed) && !endsWithLineBreak) {
        output.out().println();
        output.out().flush();
      }
      printed = false;
      endsWithLineBreak = false;
    }
  }
}
