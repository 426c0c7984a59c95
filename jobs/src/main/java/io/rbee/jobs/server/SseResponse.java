package io.rbee.jobs.server;

import jakarta.servlet.http.HttpServletResponse;

/** The head every event stream of a daemon answers with, in one place. */
public final class SseResponse {
  private SseResponse() {}

  /**
   * Sets 200 and the event-stream head on {@code res}: {@code text/event-stream} in UTF-8, never
   * cached, and {@code X-Accel-Buffering: no} so a reverse proxy (nginx) passes each event on at
   * once instead of buffering the stream.
   */
  public static void begin(HttpServletResponse res) {
    res.setStatus(200);
    res.setContentType("text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no");
  }
}
