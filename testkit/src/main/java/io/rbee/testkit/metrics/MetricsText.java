package io.rbee.testkit.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape in the Prometheus text format, parsed into its samples: what a test reads back of
 * a daemon's {@code GET /metrics}. Comments ({@code # HELP}, {@code # TYPE}) are skipped; a
 * line it cannot read fails the parse, naming it.
 *
 * <pre>{@code
 * MetricsText m = MetricsText.parse(body);
 * m.value("rbee_jobs_total", "operation", "Infer", "status", "succeeded");
 * }</pre>
 */
public final class MetricsText {
  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;
  private final String text;

  private MetricsText(List<Sample> samples, String text) {
    this.samples = samples;
    this.text = text;
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming a line it cannot. */
  public static MetricsText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      out.add(sample(line));
    }
    return new MetricsText(List.copyOf(out), text);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The text as scraped. */
  public String text() {
    return text;
  }

  /**
   * The sum over the samples named {@code name} whose labels include {@code labelPairs}
   * (name, value, ...); 0 when none matches.
   */
  public double value(String name, String... labelPairs) {
    return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  /** True when some sample named {@code name} has the labels {@code labelPairs}. */
  public boolean has(String name, String... labelPairs) {
    return !matching(name, labelPairs).isEmpty();
  }

  /** The samples named {@code name} whose labels include {@code labelPairs}. */
  public List<Sample> matching(String name, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("labelPairs must be name, value pairs");
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && includes(s.labels(), labelPairs)) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean includes(Map<String, String> labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("not a sample line: " + line);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      rest = labels(line, brace + 1, labels);
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String[] tail = line.substring(rest).strip().split(" ");
    return new Sample(name, Map.copyOf(labels), number(tail[0], line));
  }

  /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
  private static int labels(String line, int i, Map<String, String> labels) {
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf("=\"", i);
      if (eq < 0) {
        throw new IllegalArgumentException("bad labels in: " + line);
      }
      String key = line.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double number(String s, String line) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad value in: " + line, e);
        }
      }
    };
  }
}
