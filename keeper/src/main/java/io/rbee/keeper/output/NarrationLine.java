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
    return format(n.actor(), n.action(), n.level(), n.human(), output);
  }

  /** A line in the same layout that the keeper itself says ({@code rbee chat}'s job line). */
  public static String format(String actor, String action, Level level, String human,
      Output output) {
    String paddedActor = "[" + pad(actor == null ? "?" : actor, ACTOR_WIDTH) + "]";
    String paddedAction = pad(action == null ? "" : action, ACTION_WIDTH);
    String said = human == null ? "" : human;
    String text = switch (level == null ? Level.INFO : level) {
      case ERROR -> output.paint(Style.RED, "ERROR " + said);
      case WARN -> output.paint(Style.YELLOW, "WARN " + said);
      case DEBUG -> output.paint(Style.DIM, said);
      case INFO -> said;
    };
    return output.paint(Style.CYAN, paddedActor) + " " + output.paint(Style.DIM, paddedAction)
        + " " + text;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
