package io.rbee.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table built row by row; {@link #toString()} renders it with a header line. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have as many cells as the header. */
  public Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row needs " + header.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    line(out, header);
    out.append('|');
    header.forEach(h -> out.append(" --- |"));
    out.append('\n');
    rows.forEach(r -> line(out, r));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells) {
    out.append('|');
    cells.forEach(c -> out.append(' ').append(c.replace("|", "\\|")).append(" |"));
    out.append('\n');
  }

  /** {@code value} with {@code decimals} decimals and thousands separators ("12,345.6"). */
  public static String num(double value, int decimals) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  /** The median of {@code s} and, in brackets, its range over the runs: "12.3 (11.0–14.1)". */
  public static String medianRange(Samples s, int decimals) {
    return num(s.median(), decimals) + " (" + num(s.min(), decimals) + "–"
        + num(s.max(), decimals) + ")";
  }

  /** {@code a / b} as a ratio with two decimals ("0.87×"). */
  public static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f×", a / b);
  }
}
