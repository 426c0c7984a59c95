package io.rbee.jobs.server;

import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Consecutive {@code token} events that were all waiting for one follower at once, written as
 * one {@code token} event: its text is theirs joined in order, its id the last one's, so a
 * follower that resumes from it continues right after them. Only a follower that asked
 * ({@code ?merge_tokens=true}, see {@link io.rbee.jobs.Token#MERGE_PARAM}) gets runs, and only
 * when it is behind: a follower that keeps up gets every token as its own event, at once.
 *
 * <p>Token data is {@code {"text":"…"}} ({@link io.rbee.jobs.Token}); JSON escapes each
 * character on its own, so the escaped texts joined are the escaped joined text and nothing is
 * parsed. Data of any other shape is never merged. Not thread-safe: one per stream.
 */
final class TokenRun {
  /** The most tokens one merged event carries. */
  static final int MAX_TOKENS = 64;

  private static final String PREFIX = "{\"text\":\"";
  private static final String SUFFIX = "\"}";

  private final boolean enabled;
  private final StringBuilder text = new StringBuilder();
  private JobEvent first;
  private long lastId;
  private int count;

  /** A run that takes tokens when {@code enabled}; a disabled one takes none. */
  TokenRun(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Takes {@code e} into the run when it is a token whose data can be joined (writing the run
   * to {@code out} first when it is full); returns false, taking nothing, for any other event
   * or when the run is disabled.
   */
  boolean offer(JobEvent e, OutputStream out) throws IOException {
    if (!enabled || !JobEvent.TOKEN.equals(e.event()) || !joinable(e.data())) {
      return false;
    }
    if (count == MAX_TOKENS) {
      writeTo(out);
    }
    if (count == 0) {
      first = e;
    }
    String data = e.data();
    text.append(data, PREFIX.length(), data.length() - SUFFIX.length());
    lastId = e.id();
    count++;
    return true;
  }

  /**
   * Writes the run (nothing when empty; a single token as its own, shared frame) and empties
   * it.
   */
  void writeTo(OutputStream out) throws IOException {
    if (count == 1) {
      first.writeTo(out);
    } else if (count > 1) {
      String data = PREFIX + text + SUFFIX;
      out.write(SseEncoder.event(Long.toString(lastId), JobEvent.TOKEN, data)
          .getBytes(StandardCharsets.UTF_8));
    }
    text.setLength(0);
    first = null;
    count = 0;
  }

  /** {@code {"text":"…"}} with no unescaped quote inside: exactly one field. */
  private static boolean joinable(String data) {
    int end = data.length() - SUFFIX.length();
    if (end < PREFIX.length() || !data.startsWith(PREFIX) || !data.endsWith(SUFFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < end; i++) {
      char c = data.charAt(i);
      if (c == '\\') {
        i++; // an escape: the next character is part of it
      } else if (c == '"') {
        return false;
      }
    }
    return true;
  }
}
