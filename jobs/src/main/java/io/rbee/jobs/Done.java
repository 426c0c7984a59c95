package io.rbee.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The data of a job's one final {@code event: done}. {@code error} is null when the job
 * succeeded; {@code error_kind} is the failure's stable kind ({@code hive_lost},
 * {@code model_not_found}; null unless failed), so relays and clients read it here instead of
 * scraping it from narration; {@code stats} carries operation figures (an inference's tokens
 * in/out, duration, tokens per second, stop reason) and is null when there are none.
 *
 * <p>{@code lost_events} is how many events of the jobs this job relayed (a hive's, a
 * worker's) never reached this job's stream, each loss announced in the stream by a relayed
 * {@code gap} event; null when nothing was lost, so a {@code done} without it is complete.
 */
public record Done(
    String jobId,
    JobStatus status,
    String error,
    @JsonProperty("error_kind") @JsonInclude(JsonInclude.Include.NON_NULL) String errorKind,
    Map<String, Object> stats,
    @JsonProperty("lost_events") @JsonInclude(JsonInclude.Include.NON_NULL) Long lostEvents) {

  /** A {@code done} of a job that lost no relayed events. */
  public Done(String jobId, JobStatus status, String error, String errorKind,
      Map<String, Object> stats) {
    this(jobId, status, error, errorKind, stats, null);
  }

  public Done {
    if (lostEvents != null && lostEvents <= 0) {
      lostEvents = null; // nothing lost reads as absent, never as 0
    }
  }
}
