package io.rbee.jobs.server;

import io.rbee.narration.Narration;
import java.util.Map;

/**
 * What operation code gets for its job: the job id to narrate with, ways to emit results and
 * tokens, and cancellation. It cannot open channels or end the job: the job's creator does.
 *
 * <p>Thread-safe: an operation may emit from several threads (a relay and a timer).
 */
public interface JobContext {
  /** The id to pass to {@code Narrator...jobId(...)}. */
  String jobId();

  /** Emits {@code event: result} with {@code value} as JSON. */
  void result(Object value);

  /** Emits {@code event: token} {@code {"text": ...}}. */
  void token(String text);

  /**
   * Emits an event received from another job stream (a relay), keeping its name and data.
   * Narration data is re-homed to this job's id. Must not be used for {@code done}.
   */
  void relay(String event, String data);

  /**
   * Emits a narration received from another job stream, already parsed (a relay parses it
   * once to read it): re-homed to this job's id, serialised once.
   */
  void relay(Narration narration);

  /** Figures to put in the {@code done} event's {@code stats} (replaces earlier ones). */
  void stats(Map<String, Object> stats);

  /** True once the job was cancelled (by {@code DELETE}, or its followers left for good). */
  boolean cancelled();

  /** Throws {@link io.rbee.jobs.JobCancelledException} when the job was cancelled. */
  default void throwIfCancelled() {
    if (cancelled()) {
      throw new io.rbee.jobs.JobCancelledException();
    }
  }

  /**
   * Runs {@code action} once when the job is cancelled (at once if it already was): close a
   * socket, stop a process. Called on the cancelling thread; must not block for long.
   */
  void onCancel(Runnable action);
}
