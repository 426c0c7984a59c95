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
  // the first data line of the event being read; data holds them joined once there are more
  private String firstData;
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
      if (pos == len && !fill()) {
        return null; // an unterminated last line is not a line
      }
      if (first) {
        first = false;
        if (buf[pos] == '\uFEFF') {
          pos++;
          continue;
        }
      }
      if (pendingCr) {
        pendingCr = false;
        if (buf[pos] == '\n') {
          pos++; // the LF of a CRLF
          continue;
        }
      }
      // scan the buffer for the end of the line: one tight loop, one copy per line
      int start = pos;
      int i = start;
      while (i < len && buf[i] != '\n' && buf[i] != '\r') {
        i++;
      }
      if (i == len) {
        line.append(buf, start, i - start);
        pos = len;
        continue;
      }
      pendingCr = buf[i] == '\r';
      pos = i + 1;
      if (line.isEmpty()) {
        return new String(buf, start, i - start);
      }
      return line.append(buf, start, i - start).toString();
    }
  }

  /**
   * Reads more characters into the buffer, through a buffer of our own:
   * {@code Reader.read(char[])} returns what is available without waiting for more, so a
   * complete event is never held back, and a fast stream costs one read per burst instead of
   * one locked read per character. False at end of stream.
   */
  private boolean fill() throws IOException {
    len = in.read(buf, 0, buf.length);
    pos = 0;
    if (len <= 0) {
      len = 0;
      return false;
    }
    return true;
  }

  private SseEvent processLine(String l) {
    if (l.isEmpty()) {
      return dispatch();
    }
    if (l.charAt(0) == ':') {
      return null;
    }
    int colon = l.indexOf(':');
    int nameEnd = colon < 0 ? l.length() : colon;
    int from = colon < 0 ? l.length() : colon + 1;
    if (from < l.length() && l.charAt(from) == ' ') {
      from++;
    }
    if (is(l, nameEnd, "data")) {
      String value = l.substring(from);
      if (!sawData) {
        firstData = value; // most events have one data line: no copy to join them
        sawData = true;
      } else {
        if (data.isEmpty()) {
          data.append(firstData);
        }
        data.append('\n').append(value);
      }
    } else if (is(l, nameEnd, "event")) {
      eventType = l.substring(from);
    } else if (is(l, nameEnd, "id")) {
      if (l.indexOf('\0', from) < 0) {
        idBuffer = l.substring(from);
      }
    } else if (is(l, nameEnd, "retry")) {
      String value = l.substring(from);
      if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        try {
          retry = Long.parseLong(value);
        } catch (NumberFormatException ignored) {
          // more digits than a long holds: ignore the field, as for any invalid retry
        }
      }
    }
    // unknown fields are ignored
    return null;
  }

  /** True when the field name of {@code l} (its first {@code nameEnd} chars) is {@code name}. */
  private static boolean is(String l, int nameEnd, String name) {
    return nameEnd == name.length() && l.startsWith(name);
  }

  private SseEvent dispatch() {
    lastEventId = idBuffer; // as the spec says: even for an event without data
    if (!sawData) {
      eventType = "";
      return null;
    }
    String d = data.isEmpty() ? firstData : data.toString();
    String type = eventType.isEmpty() ? "message" : eventType;
    data.setLength(0);
    firstData = null;
    sawData = false;
    eventType = "";
    return new SseEvent(lastEventId, type, d);
  }
}
