package io.rbee.keeper.output;

import java.io.PrintWriter;

/**
 * Where one command writes: {@code out} for results and tokens (what a script captures),
 * {@code err} for narration, progress and errors. {@code terminal} says stdout is a terminal
 * ({@code System.console() != null}); {@code color} that ANSI colours may be used.
 */
public record Output(PrintWriter out, PrintWriter err, boolean terminal, boolean color) {
  /** ANSI styles used by the keeper. */
  public enum Style {
    BOLD("1"),
    DIM("2"),
    RED("31"),
    GREEN("32"),
    YELLOW("33"),
    CYAN("36");

    private final String code;

    Style(String code) {
      this.code = code;
    }
  }

  /** {@code text} in {@code style} when colour is on, else as is. */
  public String paint(Style style, String text) {
    return color ? "\u001b[" + style.code + "m" + text + "\u001b[0m" : text;
  }

  /** One line on stderr, flushed (narration must show while the job runs). */
  public void say(String line) {
    err.println(line);
    err.flush();
  }
}
