package io.rbee.queen.openai;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorBody;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.server.ApiException;

/**
 * How a failed job is answered on the OpenAI routes: the HTTP status OpenAI clients act on
 * (404 for a model nobody has, 400 for a prompt that does not fit or messages the model's chat
 * template refuses, 429 when a queue is full,
 * 503 when no hive or worker can take the work now, 500 otherwise), with rbee's error kind as
 * the {@code code} (OpenAI's own {@code context_length_exceeded} for a prompt too long).
 */
final class JobFailures {
  private JobFailures() {}

  static int status(ErrorKind kind) {
    return switch (kind) {
      case MODEL_NOT_FOUND -> 404;
      case PROMPT_TOO_LONG, CHAT_TEMPLATE_FAILED -> 400;
      case QUEUE_FULL, WORKER_BUSY -> 429;
      case NO_HIVE, HIVE_STALE, HIVE_UNREACHABLE, HIVE_LOST, HIVE_CLOSED, WORKER_LOST,
          WORKER_UNREACHABLE, WORKER_LOADING, WORKER_FAILED, WORKER_STOPPED,
          WORKER_START_TIMEOUT, WORKER_REJECTED, MODEL_LOAD_FAILED, CUDA_UNAVAILABLE -> 503;
      default -> 500;
    };
  }

  /** The refusal that answers {@code done} (a job that did not complete). */
  static ApiException of(Done done) {
    if (done.status() == JobStatus.CANCELLED) {
      return new ApiException(503, "cancelled", "the request's job " + done.jobId()
          + " was cancelled: " + done.error());
    }
    ErrorKind kind = ErrorKind.fromWire(done.errorKind(), ErrorKind.INTERNAL);
    String code = kind == ErrorKind.PROMPT_TOO_LONG ? "context_length_exceeded"
        : done.errorKind() == null ? kind.wire() : done.errorKind();
    return new ApiException(status(kind), code, done.error() + " (job " + done.jobId()
        + ": `rbee jobs follow " + done.jobId() + "` shows its narration)");
  }

  /** The same failure as the {@code data:} of an event in a stream already under way. */
  static ErrorBody body(Done done) {
    return of(done).body();
  }
}
