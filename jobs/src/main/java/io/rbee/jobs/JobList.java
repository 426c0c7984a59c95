package io.rbee.jobs;

import java.util.List;

/**
 * The answer to {@code GET /v1/jobs}: the jobs that match its filters, newest first, and
 * whether the daemon's history outlives it ({@link HistoryStatus}).
 */
public record JobList(List<JobInfo> jobs, HistoryStatus history) {
  public JobList {
    jobs = List.copyOf(jobs);
  }
}
