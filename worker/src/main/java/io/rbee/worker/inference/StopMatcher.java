package io.rbee.worker.inference;

import java.util.List;

/**
 * Finds stop strings in streamed text without ever emitting part of one: text that could still
 * become a stop string is held back until the next piece decides. Not thread-safe.
 */
final class StopMatcher {
  private final List<String> stops;
  private final StringBuilder held = new StringBuilder();
  private boolean matched;

  StopMatcher(List<String> stops) {
    this.stops = stops;
  }

  /** Takes the next piece; returns the text that is now safe to emit (maybe empty). */
  String feed(String piece) {
    if (matched) {
      return "";
    }
    held.append(piece);
    if (stops.isEmpty()) {
      return drain(held.length());
    }
    int first = -1;
    for (String s : stops) {
      int at = held.indexOf(s);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    if (first >= 0) {
      matched = true;
      String before = held.substring(0, first);
      held.setLength(0);
      return before;
    }
    return drain(held.length() - longestStopPrefixAtEnd());
  }

  /** True once a stop string appeared; later pieces are ignored. */
  boolean matched() {
    return matched;
  }

  /** The held-back text, at the end of generation (it never became a stop string). */
  String flush() {
    return matched ? "" : drain(held.length());
  }

  private int longestStopPrefixAtEnd() {
    String h = held.toString();
    int best = 0;
    for (String s : stops) {
      for (int len = Math.min(s.length() - 1, h.length()); len > best; len--) {
        if (h.regionMatches(h.length() - len, s, 0, len)) {
          best = len;
          break;
        }
      }
    }
    return best;
  }

  private String drain(int n) {
    String out = held.substring(0, n);
    held.delete(0, n);
    return out;
  }
}
