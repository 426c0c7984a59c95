package io.rbee.bench;

import java.util.ArrayList;
import java.util.List;

/** The order things run in within a round of a benchmark. */
final class Rounds {
  private Rounds() {}

  /**
   * {@code items} rotated by {@code round}: a different order each round, so no path or mode
   * always runs first (after a quiet spell) or last (after the others warmed the caches).
   */
  static <T> List<T> rotated(List<T> items, int round) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(items.get(Math.floorMod(i + round, items.size())));
    }
    return out;
  }
}
