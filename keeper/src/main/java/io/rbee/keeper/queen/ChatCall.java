package io.rbee.keeper.queen;

import io.rbee.jobs.client.JobClientException;

/**
 * One chat turn sent to the queen, ready to run once: {@link #execute} reads the streamed
 * answer on the calling thread; {@link #cancel} stops it from any thread.
 */
public interface ChatCall {
  /**
   * Sends the turn and reads the answer to its end ({@code data: [DONE]}), telling
   * {@code listener} as it goes. A turn {@link #cancel cancelled} (before or during) returns
   * what came until then, {@link ChatAnswer#stopped()} true.
   *
   * @throws JobClientException when the queen refused the turn (its OpenAI error: 404 unknown
   *     model, 401, 400, 429, 503...), the job failed mid-answer ({@code data: {"error"...}},
   *     kind REJECTED, status 0), or the stream broke (STREAM_BROKEN, UNREACHABLE)
   */
  ChatAnswer execute(ChatListener listener) throws JobClientException;

  /**
   * Stops the turn: closes the connection, so the queen cancels the generation (the worker
   * stops within a token). Thread-safe, idempotent, never blocks; a no-op once it ended.
   */
  void cancel();
}
