package io.rbee.hive.models;

import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 12.5 KiB}, {@code 40.0 MiB}, {@code 3.9 GiB}. */
final class ByteSize {
  private ByteSize() {}

  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** {@code "12.5 MiB / 40.0 MiB (31%)"}, or {@code "12.5 MiB"} when the total is unknown. */
  static String progress(long current, Long total) {
    if (total == null || total <= 0) {
      return format(current);
    }
    return format(current) + " / " + format(total) + " (" + (current * 100 / total) + "%)";
  }
}
