package io.rbee.narration.sse;

/**
 * One dispatched SSE event: {@code event} defaults to "message" as the spec says; {@code id} is
 * the last event id in effect when it was dispatched (null when none was ever set); {@code data}
 * is the data lines joined with "\n".
 */
public record SseEvent(String id, String event, String data) {
  /** The id as a number, or 0 when absent or not numeric. */
  public long numericId() {
    if (id == null || id.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
