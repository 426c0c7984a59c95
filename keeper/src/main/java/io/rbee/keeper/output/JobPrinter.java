package io.rbee.keeper.output;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Token;
import io.rbee.keeper.output.Output.Style;
import io.rbee.narration.Gap;
import io.rbee.narration.Json;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Shows one job's events as they arrive. Readable mode: narration as lines (or a download bar
 * on a terminal) on stderr, results rendered on stdout, tokens on stdout as they come (flushed
 * each, nothing added between them). JSON mode: every event, {@code done} included, as one JSON
 * line on stdout. {@link #finish} closes with the stats and the error line on stderr.
 *
 * <p>Not thread-safe: fed by the one thread that follows the stream.
 */
public final class JobPrinter implements Consumer<SseEvent> {
  private final Output output;
  private final boolean json;
  private final DownloadBar bar;
  private boolean tokens;
  private boolean midLine;

  public JobPrinter(Output output, boolean json) {
    this.output = output;
    this.json = json;
    this.bar = output.terminal() ? new DownloadBar(output.err(), output.color(), width()) : null;
  }

  @Override
  public void accept(SseEvent event) {
    if (json) {
      output.out().println(JsonLine.of(event));
      output.out().flush();
      return;
    }
    switch (event.event()) {
      case JobEvent.NARRATION -> narration(event.data());
      case JobEvent.TOKEN -> token(event.data());
      case JobEvent.RESULT -> {
        endBarAndLine();
        ResultView.render(event.data(), output.out());
        output.out().flush();
      }
      case JobEvent.DONE -> {
        // finish(done) says how it ended, after the stream
      }
      case JobEvent.GAP -> gap(event.data());
      default -> output.say(output.paint(Style.DIM, "[" + event.event() + "] " + event.data()));
    }
  }

  /** True once a token was printed. */
  public boolean sawTokens() {
    return tokens;
  }

  /**
   * Ends the job's output: the line break after the tokens (on a terminal only), the stats
   * line, and for a failed job {@code error: <reason>} as the last line on stderr.
   */
  public void finish(Done done) {
    endBarAndLine();
    if (!json) {
      String stats = StatsLine.format(done.stats());
      if (stats != null) {
        output.say(output.paint(Style.DIM, stats));
      }
    }
    if (done.status() == JobStatus.FAILED) {
      String error = done.error() == null || done.error().isBlank()
          ? "job " + done.jobId() + " failed" : done.error();
      output.say(output.paint(Style.RED, "error: " + error));
    } else if (done.status() == JobStatus.CANCELLED) {
      output.say(output.paint(Style.YELLOW, "job " + done.jobId() + " was cancelled"));
    }
  }

  /** Ends the output of a stream that broke before its {@code done}: the bar, an open line. */
  public void abort() {
    endBarAndLine();
  }

  private void narration(String data) {
    Narration n;
    try {
      n = Json.read(data, Narration.class);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      endBarAndLine();
      output.say(data);
      return;
    }
    if (bar != null && bar.offer(n)) {
      return;
    }
    endBarAndLine();
    output.say(NarrationLine.format(n, output));
  }

  /** Events the server no longer had: one warning line where they would have been. */
  private void gap(String data) {
    endBarAndLine();
    String text;
    try {
      text = "missed " + Gap.parse(data).missed() + " events (history bound)";
    } catch (UncheckedIOException | IllegalArgumentException e) {
      text = "missed events (history bound): " + data;
    }
    output.say(output.paint(Style.YELLOW, text));
  }

  private void token(String data) {
    String text;
    try {
      text = Json.read(data, Token.class).text();
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return; // not a token: nothing to print into the text
    }
    if (text == null || text.isEmpty()) {
      return;
    }
    tokens = true;
    output.out().print(text);
    output.out().flush();
    midLine = !text.endsWith("\n");
  }

  /** Before other output: the bar ends, and on a terminal an open line of tokens ends too. */
  private void endBarAndLine() {
    if (bar != null) {
      bar.close();
    }
    if (midLine && output.terminal()) {
      output.out().println();
      output.out().flush();
      midLine = false;
    }
  }

  private static int width() {
    try {
      String columns = System.getenv("COLUMNS");
      return columns == null ? 100 : Math.max(40, Integer.parseInt(columns.trim()));
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
