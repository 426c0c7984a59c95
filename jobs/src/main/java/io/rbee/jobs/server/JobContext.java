package io.rbee.jobs.server;

import io.rbee.narration.Narration;
import io.rbee.narration.NarrationBuilder;
import java.util.Map;

/**
 * What operation code gets for its job: narration bound to the job, ways to emit results and
 * tokens, and cancellation. It cannot open channels or end the job: the job's creator does.
 *
 * <p>Thread-safe: an operation may emit from several threads (a relay and a timer).
 */
public interface JobContext {
  /** The job's id (for messages and logs; narration goes through {@link #narrate}). */
  String jobId();

  /** Who narrates through this view of the job: {@code queen}, {@code hive}, {@code worker}. */
  String actor();

  /**
   * Starts a narration of {@code action} by {@link #actor()} on this job's stream:
   * {@code job.narrate("worker_spawn").human("Spawning {}", model).emit()}.
   */
  default NarrationBuilder narrate(String action) {
    return narrateAs(actor(), action);
  }

  /** Starts a narration of {@code action} by {@code actor} on this job's stream. */
  NarrationBuilder narrateAs(String actor, String action);

  /**
   * The same job narrating as another actor: the hive library runs inside the queen's job in
   * integrated mode and still says {@code hive}. Everything else is shared with this job.
   */
  default JobContext as(String actor) {
    return actor.equals(actor()) ? this : new ForwardingJob(this) {
      @Override
      public String actor() {
        return actor;
      }
    };
  }

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
