package io.rbee.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to {@code GET /v1/jobs/{id}}. Times are ISO-8601; finished_at null while running;
 * error and error_kind as in {@link Done}.
 */
public record JobInfo(
    String jobId,
    String operation,
    JobStatus status,
    String createdAt,
    String finishedAt,
    String error,
    @JsonProperty("error_kind") @JsonInclude(JsonInclude.Include.NON_NULL) String errorKind,
    long lastEventId) {}
