package io.rbee.narration.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * An incremental SSE parser following the WHATWG "event stream interpretation" rules: UTF-8,
 * a leading BOM ignored, lines ended by CRLF, LF or CR, comments ignored, one leading space
 * after the colon removed, {@code data} lines joined with LF, an {@code id} containing NUL
 * ignored, {@code retry} accepted only as ASCII digits, and an event dispatched on a blank line
 * only when it has data. An incomplete event at end of stream is discarded, as the spec says, and
 * so is its id.
 *
 * <p>Not thread-safe; one reader thread per parser.
 */
public final class SseParser {
  private final Reader in;
  private final char[] buf = new char[8192];
  private int pos;
  private int len;
  private final StringBuilder line = new StringBuilder(128);
  private final StringBuilder data = new StringBuilder(256);
  private String eventType = "";
  // the id of the event being read; it becomes lastEventId only when a blank line ends the event
  private String idBuffer;
  private String lastEventId;
  private long retry = -1;
  private boolean sawData;
  private boolean first = true;
  private boolean pendingCr;

  public SseParser(InputStream in) {
    this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  public SseParser(Reader in) {
    this.in = in;
  }

  /** The next dispatched event, blocking until one is complete; null at end of stream. */
  public SseEvent next() throws IOException {
    while (true) {
      String l = readLine();
      if (l == null) {
        return null;
      }
      SseEvent e = processLine(l);
      if (e != null) {
        return e;
      }
    }
  }

  /** The last {@code retry} the server asked for, in milliseconds, or -1. */
  public long retry() {
    return retry;
  }

  /**
   * The last event id in effect (to send back as {@code Last-Event-ID}), or null. An id is
   * taken when the blank line that ends its event arrives, never from an event cut short, so a
   * client that resumes with it is sent that event again.
   */
  public String lastEventId() {
    return lastEventId;
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int c = nextChar();
      if (c < 0) {
        return null; // an unterminated last line is not a line
      }
      if (first) {
        first = false;
        if (c == '\uFEFF') {
          continue;
        }
      }
      if (pendingCr) {
        pendingCr = false;
        if (c == '\n') {
          continue; // the LF of a CRLF
        }
      }
      if (c == '\r') {
        pendingCr = true;
        return line.toString();
      }
      if (c == '\n') {
        return line.toString();
      }
      line.append((char) c);
    }
  }

  /**
   * The next character, read through a buffer of our own: {@code Reader.read(char[])} returns
   * what is available without waiting for more, so a complete event is never held back, and a
   * fast stream costs one read per burst instead of one locked read per character.
   */
  private int nextChar() throws IOException {
    if (pos == len) {
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        return -1;
      }
    }
    return buf[pos++];
  }

  private SseEvent processLine(String l) {
    if (l.isEmpty()) {
      return dispatch();
    }
    if (l.charAt(0) == ':') {
      return null;
    }
    int colon = l.indexOf(':');
    String field;
    String value;
    if (colon < 0) {
      field = l;
      value = "";
    } else {
      field = l.substring(0, colon);
      int from = colon + 1;
      if (from < l.length() && l.charAt(from) == ' ') {
        from++;
      }
      value = l.substring(from);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> {
        data.append(value).append('\n');
        sawData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
          try {
            retry = Long.parseLong(value);
          } catch (NumberFormatException ignored) {
            // more digits than a long holds: ignore the field, as for any invalid retry
          }
        }
      }
      default -> {
        // unknown fields are ignored
      }
    }
    return null;
  }

  private SseEvent dispatch() {
    lastEventId = idBuffer; // as the spec says: even for an event without data
    if (!sawData) {
      eventType = "";
      return null;
    }
    String d = data.substring(0, data.length() - 1);
    String type = eventType.isEmpty() ? "message" : eventType;
    data.setLength(0);
    sawData = false;
    eventType = "";
    return new SseEvent(lastEventId, type, d);
  }
}
