package io.rbee.jobs;

/** The answer to {@code GET /v1/jobs/{id}}. Times are ISO-8601; finished_at null while running. */
public record JobInfo(
    String jobId,
    String operation,
    JobStatus status,
    String createdAt,
    String finishedAt,
    String error,
    long lastEventId) {}
