package io.rbee.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether a daemon keeps a job history that outlives the process ({@code history} in the
 * answer to {@code GET /v1/jobs}): {@code path} is the database file when {@code enabled};
 * {@code reason} says why not when it is off (the queen's history could not be opened, was
 * turned off, or failed; a hive or worker keeps jobs in memory only).
 */
@JsonInclude(JsonInclude.Include.ALWAYS) // path and reason are null, never absent
public record HistoryStatus(boolean enabled, String path, String reason) {
  /** What a hive or worker answers. */
  public static final HistoryStatus MEMORY_ONLY =
      off("this daemon keeps jobs in memory only");

  public static HistoryStatus on(String path) {
    return new HistoryStatus(true, path, null);
  }

  public static HistoryStatus off(String reason) {
    return new HistoryStatus(false, null, reason);
  }
}
