package io.rbee.narration;

import java.util.Arrays;

/** The level that trimming the largest histories down to brings their total within a budget. */
final class BudgetLevel {
  private BudgetLevel() {}

  /**
   * The largest {@code level} such that {@code sum(min(size, level)) <= allowed}: histories
   * above it are cut to it, the others are left alone, so the largest lose the most. 0 when
   * {@code allowed} is 0 or less (every history is cut to its newest event); the largest size
   * when everything fits already.
   */
  static long of(long[] sizes, long allowed) {
    if (allowed <= 0 || sizes.length == 0) {
      return Math.max(0, allowed);
    }
    long[] s = sizes.clone();
    Arrays.sort(s);
    long below = 0; // the total of s[0..i), left as they are
    for (int i = 0; i < s.length; i++) {
      int above = s.length - i; // s[i..] are cut to the level
      long level = (allowed - below) / above;
      if (level < s[i]) {
        return Math.max(0, level);
      }
      below += s[i];
    }
    return s[s.length - 1];
  }
}
