package io.rbee.jobs;

import java.util.regex.Pattern;

/**
 * What a hive, worker or job id may look like wherever it becomes part of a URL: 1 to 128 of
 * {@code A-Z a-z 0-9 . _ : -}, not starting with a dot. That keeps every id a single, literal
 * path segment: no {@code /}, no {@code %}, no {@code ..}, nothing a URL parser or a file
 * system reads as structure. Ids rbee makes ({@code job-<uuid>}, {@code worker-<hex>},
 * {@code localhost}) all fit. Model ids are not limited by it: they travel in JSON bodies only.
 */
public final class Ids {
  /** The accepted form. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,127}");

  private Ids() {}

  /** True when {@code id} has the accepted form. */
  public static boolean valid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }

  /**
   * {@code id}, when it has the accepted form; otherwise throws {@link IllegalArgumentException}
   * naming {@code what} ("worker id") and the value.
   */
  public static String require(String what, String id) {
    if (!valid(id)) {
      throw new IllegalArgumentException(what + " must be 1-128 of A-Z a-z 0-9 . _ : - and not"
          + " start with '.', got \"" + printable(id) + "\"");
    }
    return id;
  }

  private static String printable(String id) {
    if (id == null) {
      return "";
    }
    String clean = id.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
  }
}
