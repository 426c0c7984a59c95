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
 */
public record Done(
    String jobId,
    JobStatus status,
    String error,
    @JsonProperty("error_kind") @JsonInclude(JsonInclude.Include.NON_NULL) String errorKind,
    Map<String, Object> stats) {}
