package io.rbee.jobs;

/**
 * The answer to {@code POST /v1/jobs}: the new job's id and where to stream it. A submit that
 * asks for the stream itself ({@code Accept: text/event-stream}) gets the job's events as the
 * answer instead, and the id in the {@link #JOB_ID_HEADER} header.
 */
public record Submitted(String jobId, String sseUrl) {
  /** The response header that names the job an answer belongs to. */
  public static final String JOB_ID_HEADER = "X-Rbee-Job-Id";

  /** The answer for job {@code jobId}, its stream at {@code /v1/jobs/{id}/stream}. */
  public static Submitted of(String jobId) {
    return new Submitted(jobId, "/v1/jobs/" + jobId + "/stream");
  }
}
