package io.rbee.jobs.server;

import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The filters of {@code GET /v1/jobs}: jobs whose status is one of {@code statuses} (empty:
 * any), whose operation is one of {@code operations} (empty: any), created at or after
 * {@code since} (null: any time), at most {@code limit} of them, newest first.
 */
public record JobFilter(Set<JobStatus> statuses, Set<String> operations, Instant since,
    int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  /** Every job, up to {@link #DEFAULT_LIMIT}. */
  public static final JobFilter ALL = new JobFilter(Set.of(), Set.of(), null, DEFAULT_LIMIT);

  private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

  public JobFilter {
    statuses = Set.copyOf(statuses);
    operations = Set.copyOf(operations);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  /** True when {@code job} passes the status, operation and since filters (not the limit). */
  public boolean matches(JobInfo job) {
    return (statuses.isEmpty() || statuses.contains(job.status()))
        && (operations.isEmpty() || operations.contains(job.operation()))
        && (since == null || !Instant.parse(job.createdAt()).isBefore(since));
  }

  /**
   * Reads the query parameters (each may be null or blank: no filter); {@code now} is what an
   * age in {@code since} counts back from. Throws {@link ApiException} 400
   * {@code invalid_filter} naming the parameter, what it got and what it takes.
   */
  public static JobFilter parse(String status, String operation, String since, String limit,
      Instant now) {
    return new JobFilter(statuses(status), operations(operation), since(since, now),
        limit(limit));
  }

  private static Set<JobStatus> statuses(String value) {
    Set<JobStatus> out = new LinkedHashSet<>();
    for (String word : words(value)) {
      try {
        out.add(JobStatus.fromWire(word));
      } catch (IllegalArgumentException e) {
        throw invalid("status", word, "a comma-separated list of "
            + Stream.of(JobStatus.values()).map(JobStatus::wire)
                .collect(Collectors.joining(", ")));
      }
    }
    return out;
  }

  private static Set<String> operations(String value) {
    Set<String> out = new LinkedHashSet<>();
    for (String word : words(value)) {
      if (!Operation.NAMES.contains(word)) {
        throw invalid("operation", word, "a comma-separated list of operation names ("
            + String.join(", ", Operation.NAMES) + ")");
      }
      out.add(word);
    }
    return out;
  }

  private static Instant since(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    Matcher age = AGE.matcher(v.toLowerCase(Locale.ROOT));
    if (age.matches()) {
      long n = Long.parseLong(age.group(1));
      Duration d = switch (age.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw invalid("since", v,
          "an ISO-8601 instant (2026-12-02T06:00:00Z) or an age such as 90s, 30m, 2h, 7d");
    }
  }

  private static int limit(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw invalid("limit", value.trim(), "an integer 1.." + MAX_LIMIT + " (default "
        + DEFAULT_LIMIT + ")");
  }

  private static String[] words(String value) {
    if (value == null || value.isBlank()) {
      return new String[0];
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(w -> !w.isEmpty())
        .toArray(String[]::new);
  }

  private static ApiException invalid(String param, String got, String expected) {
    return ApiException.badRequest("invalid_filter",
        param + " must be " + expected + ", got \"" + got + "\"").param(param);
  }
}
