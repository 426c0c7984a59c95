package io.rbee.queen.history;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the queen keeps its job history: on or off, and its retention. The oldest finished jobs
 * go first once the history holds more than {@code maxJobs} jobs, more than {@code maxBytes}
 * of event data, or jobs finished longer than {@code maxAge} ago; running jobs are never
 * removed. {@code queueBytes} bounds the events waiting to be written (past it events are
 * dropped, and a replay shows a gap); {@code checkEvery} is how often retention runs besides
 * at start.
 */
public record HistoryConfig(boolean enabled, int maxJobs, Duration maxAge, long maxBytes,
    long queueBytes, Duration checkEvery) {
  public static final int DEFAULT_MAX_JOBS = 10_000;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);
  public static final long DEFAULT_MAX_BYTES = 512L << 20;
  public static final long DEFAULT_QUEUE_BYTES = 64L << 20;
  public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(30);

  /** On, with the documented defaults (docs/OPERATIONS.md, "History"). */
  public static final HistoryConfig DEFAULTS = new HistoryConfig(true, DEFAULT_MAX_JOBS,
      DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES, DEFAULT_QUEUE_BYTES, DEFAULT_CHECK_EVERY);

  /** Environment variables, each the equivalent of a queen flag (the flag wins). */
  public static final String ENV_HISTORY = "RBEE_HISTORY";
  public static final String ENV_MAX_JOBS = "RBEE_HISTORY_MAX_JOBS";
  public static final String ENV_MAX_AGE = "RBEE_HISTORY_MAX_AGE";
  public static final String ENV_MAX_BYTES = "RBEE_HISTORY_MAX_BYTES";

  private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([kmg]i?b?)?");

  public HistoryConfig {
    if (maxJobs < 1) {
      throw new IllegalArgumentException("history max jobs must be >= 1, got " + maxJobs);
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("history max age must be > 0, got " + maxAge);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("history max bytes must be >= 1, got " + maxBytes);
    }
    if (queueBytes < 1) {
      throw new IllegalArgumentException("history queue bytes must be >= 1, got " + queueBytes);
    }
    if (checkEvery == null || checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("history check interval must be > 0, got "
          + checkEvery);
    }
  }

  public HistoryConfig withEnabled(boolean v) {
    return new HistoryConfig(v, maxJobs, maxAge, maxBytes, queueBytes, checkEvery);
  }

  public HistoryConfig withMaxJobs(int v) {
    return new HistoryConfig(enabled, v, maxAge, maxBytes, queueBytes, checkEvery);
  }

  public HistoryConfig withMaxAge(Duration v) {
    return new HistoryConfig(enabled, maxJobs, v, maxBytes, queueBytes, checkEvery);
  }

  public HistoryConfig withMaxBytes(long v) {
    return new HistoryConfig(enabled, maxJobs, maxAge, v, queueBytes, checkEvery);
  }

  public HistoryConfig withQueueBytes(long v) {
    return new HistoryConfig(enabled, maxJobs, maxAge, maxBytes, v, checkEvery);
  }

  public HistoryConfig withCheckEvery(Duration v) {
    return new HistoryConfig(enabled, maxJobs, maxAge, maxBytes, queueBytes, v);
  }

  /**
   * The defaults overridden by {@code env}: {@code RBEE_HISTORY=off} turns history off,
   * {@code RBEE_HISTORY_MAX_JOBS}, {@code _MAX_AGE} ({@code 30d}), {@code _MAX_BYTES}
   * ({@code 512MiB}). Throws {@link IllegalArgumentException} naming the variable.
   */
  public static HistoryConfig fromEnv(Map<String, String> env) {
    HistoryConfig c = DEFAULTS;
    String onOff = env.get(ENV_HISTORY);
    if (onOff != null && !onOff.isBlank()) {
      c = switch (onOff.trim().toLowerCase(Locale.ROOT)) {
        case "off", "false", "0", "no" -> c.withEnabled(false);
        case "on", "true", "1", "yes" -> c;
        default -> throw new IllegalArgumentException(
            ENV_HISTORY + " must be on or off, got \"" + onOff + "\"");
      };
    }
    String jobs = env.get(ENV_MAX_JOBS);
    if (jobs != null && !jobs.isBlank()) {
      c = c.withMaxJobs(jobs(ENV_MAX_JOBS, jobs));
    }
    String age = env.get(ENV_MAX_AGE);
    if (age != null && !age.isBlank()) {
      c = c.withMaxAge(age(ENV_MAX_AGE, age));
    }
    String bytes = env.get(ENV_MAX_BYTES);
    if (bytes != null && !bytes.isBlank()) {
      c = c.withMaxBytes(bytes(ENV_MAX_BYTES, bytes));
    }
    return c;
  }

  /** A job count 1..10,000,000; {@code what} names the flag or variable in the message. */
  public static int jobs(String what, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 10_000_000) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new IllegalArgumentException(what + " must be 1..10000000, got \"" + value + "\"");
  }

  /** An age such as {@code 90s}, {@code 30m}, {@code 12h}, {@code 30d}. */
  public static Duration age(String what, String value) {
    Matcher m = AGE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches() && Long.parseLong(m.group(1)) > 0) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    throw new IllegalArgumentException(
        what + " must be an age such as 90s, 30m, 12h or 30d, got \"" + value + "\"");
  }

  /** A size in bytes, or with a unit: {@code 512MiB}, {@code 2G}, {@code 64k} (powers of 1024). */
  public static long bytes(String what, String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1);
      int shift = switch (unit) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
      if (n > 0 && n <= (Long.MAX_VALUE >> shift)) {
        return n << shift;
      }
    }
    throw new IllegalArgumentException(
        what + " must be a size such as 512MiB, 2GiB or 1048576 (bytes), got \"" + value + "\"");
  }
}
