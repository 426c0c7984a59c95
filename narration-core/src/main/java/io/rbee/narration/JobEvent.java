package io.rbee.narration;

/**
 * One event of a job stream: its per-job sequence number ({@code id}, from 1, the SSE
 * {@code id:}), its name ({@code narration}, {@code result}, {@code token}, {@code done}) and
 * its JSON data. Immutable.
 *
 * <p>{@link #GAP} is the one event name that is not in a job's history: a stream writes it
 * (without an {@code id:}) where events its follower asked for are no longer there.
 */
public record JobEvent(long id, String event, String data) {
  public static final String NARRATION = "narration";
  public static final String RESULT = "result";
  public static final String TOKEN = "token";
  public static final String DONE = "done";
  public static final String GAP = "gap";
}
