package io.rbee.narration;

/**
 * One event of a job stream: its per-job sequence number ({@code id}, from 1, the SSE
 * {@code id:}), its name ({@code narration}, {@code result}, {@code token}, {@code done}) and
 * its JSON data. Immutable.
 */
public record JobEvent(long id, String event, String data) {
  public static final String NARRATION = "narration";
  public static final String RESULT = "result";
  public static final String TOKEN = "token";
  public static final String DONE = "done";
}
