package io.rbee.keeper.output;

import io.rbee.keeper.output.Output.Style;
import io.rbee.narration.Level;
import io.rbee.narration.Narration;

/**
 * One narration as a readable line:
 * {@code [hive      ] download_progress  12.5 MiB / 40.0 MiB (31%)} — the actor padded, the
 * action, then what it said; WARN and ERROR are named (and coloured), DEBUG is dimmed.
 */
public final class NarrationLine {
  static final int ACTOR_WIDTH = 10;
  static final int ACTION_WIDTH = 18;

  private NarrationLine() {}

  public static String format(Narration n, Output output) {
    String actor = "[" + pad(n.actor() == null ? "?" : n.actor(), ACTOR_WIDTH) + "]";
    String action = pad(n.action() == null ? "" : n.action(), ACTION_WIDTH);
    String human = n.human() == null ? "" : n.human();
    Level level = n.level() == null ? Level.INFO : n.level();
    String text = switch (level) {
      case ERROR -> output.paint(Style.RED, "ERROR " + human);
      case WARN -> output.paint(Style.YELLOW, "WARN " + human);
      case DEBUG -> output.paint(Style.DIM, human);
      case INFO -> human;
    };
    return output.paint(Style.CYAN, actor) + " " + output.paint(Style.DIM, action) + " " + text;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
