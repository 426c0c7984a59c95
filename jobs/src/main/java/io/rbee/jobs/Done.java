package io.rbee.jobs;

import java.util.Map;

/**
 * The data of a job's one final {@code event: done}. {@code error} is null when the job
 * succeeded; {@code stats} carries operation figures (an inference's tokens in/out, duration,
 * tokens per second, stop reason) and is null when there are none.
 */
public record Done(String jobId, JobStatus status, String error, Map<String, Object> stats) {}
