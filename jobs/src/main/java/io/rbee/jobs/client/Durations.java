package io.rbee.jobs.client;

import java.time.Duration;

/** Durations as people read them in messages: {@code 3 s}, {@code 1.5 s}, {@code 250 ms}. */
final class Durations {
  private Durations() {}

  static String say(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
