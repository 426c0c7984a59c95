package io.rbee.jobs;

/** The answer to {@code POST /v1/jobs}: the new job's id and where to stream it. */
public record Submitted(String jobId, String sseUrl) {}
