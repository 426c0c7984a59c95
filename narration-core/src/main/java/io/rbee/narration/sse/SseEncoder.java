package io.rbee.narration.sse;

/**
 * Writes SSE fields. Data with line breaks (LF, CR or CRLF) becomes several {@code data:}
 * lines, so any text round-trips through {@link SseParser}, except that CR and CRLF line breaks
 * arrive as LF (the format cannot carry them). Event names and ids must not contain line breaks
 * (ids must not contain NUL either): they are rejected, not mangled.
 */
public final class SseEncoder {
  private SseEncoder() {}

  /** One event, ending with the blank line that dispatches it. */
  public static String event(String id, String event, String data) {
    StringBuilder out = new StringBuilder(data == null ? 32 : data.length() + 32);
    if (id != null) {
      requireSingleLine("id", id);
      if (id.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("SSE id must not contain NUL");
      }
      out.append("id: ").append(id).append('\n');
    }
    if (event != null) {
      requireSingleLine("event", event);
      out.append("event: ").append(event).append('\n');
    }
    String text = data == null ? "" : data;
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append("data: ").append(text, start, i).append('\n');
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    out.append("data: ").append(text, start, n).append('\n');
    return out.append('\n').toString();
  }

  /** A comment line (ignored by clients; used as keep-alive). */
  public static String comment(String text) {
    String t = text == null ? "" : text.replace('\r', ' ').replace('\n', ' ');
    return ": " + t + "\n\n";
  }

  /** The reconnection time a client should use, in milliseconds. */
  public static String retry(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("retry must be >= 0, got " + millis);
    }
    return "retry: " + millis + "\n\n";
  }

  private static void requireSingleLine(String field, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("SSE " + field + " must be one line: " + value);
    }
  }
}
