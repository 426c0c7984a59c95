package io.rbee.keeper.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A job's {@code done.stats} as one line. An inference's reads
 * {@code 42 tokens in 0.21 s, 200.0 tokens/s, stop: max_tokens}; other stats are listed as
 * {@code key=value}.
 */
public final class StatsLine {
  private StatsLine() {}

  /** The line, or null when there are no stats. */
  public static String format(Map<String, Object> stats) {
    if (stats == null || stats.isEmpty()) {
      return null;
    }
    if (!stats.containsKey("tokens_out")) {
      return stats.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", "));
    }
    List<String> parts = new ArrayList<>();
    Number out = number(stats.get("tokens_out"));
    long tokens = out == null ? 0 : out.longValue();
    String part = tokens + (tokens == 1 ? " token" : " tokens");
    Number ms = number(stats.get("duration_ms"));
    if (ms != null) {
      part += String.format(Locale.ROOT, " in %.2f s", ms.doubleValue() / 1000.0);
    }
    parts.add(part);
    Number tps = number(stats.get("tokens_per_second"));
    if (tps == null && ms != null && ms.doubleValue() > 0) {
      tps = tokens * 1000.0 / ms.doubleValue();
    }
    if (tps != null) {
      parts.add(String.format(Locale.ROOT, "%.1f tokens/s", tps.doubleValue()));
    }
    Object stop = stats.get("stop_reason");
    if (stop != null) {
      parts.add("stop: " + stop);
    }
    return String.join(", ", parts);
  }

  private static Number number(Object value) {
    if (value instanceof Number n) {
      return n;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
