package io.rbee.narration;

import io.rbee.narration.sse.SseEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One event of a job stream: its per-job sequence number ({@code id}, from 1, the SSE
 * {@code id:}), its name ({@code narration}, {@code result}, {@code token}, {@code done}) and
 * its JSON data. Immutable value: equal when id, name and data are.
 *
 * <p>Its SSE frame ({@code id:}, {@code event:}, {@code data:} lines and the blank line) is
 * encoded to UTF-8 once, the first time a follower writes it ({@link #writeTo}), and the same
 * bytes serve every follower after that: a job followed by thousands costs one encoding per
 * event, not one per follower.
 *
 * <p>{@link #GAP} is the one event name that is not in a job's history: a stream writes it
 * (without an {@code id:}) where events its follower asked for are no longer there (see
 * {@link Gap}).
 */
public final class JobEvent {
  public static final String NARRATION = "narration";
  public static final String RESULT = "result";
  public static final String TOKEN = "token";
  public static final String DONE = "done";
  public static final String GAP = "gap";

  private final long id;
  private final String event;
  private final String data;
  // written at most a few times by racing followers, always with the same bytes: a benign race
  private volatile byte[] frame;

  public JobEvent(long id, String event, String data) {
    this.id = id;
    this.event = Objects.requireNonNull(event, "event");
    this.data = Objects.requireNonNull(data, "data");
  }

  public long id() {
    return id;
  }

  public String event() {
    return event;
  }

  public String data() {
    return data;
  }

  /** Writes this event's SSE frame to {@code out}; the bytes are encoded once per event. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(frame());
  }

  /** The length of this event's SSE frame in bytes. */
  public int frameLength() {
    return frame().length;
  }

  byte[] frame() {
    byte[] f = frame;
    if (f == null) {
      f = SseEncoder.event(Long.toString(id), event, data).getBytes(StandardCharsets.UTF_8);
      frame = f;
    }
    return f;
  }

  /**
   * What keeping this event costs the heap, as the history bounds count it: its data as text,
   * the same again for its encoded frame (made once a follower needs it), and a fixed 64 bytes
   * for the objects. An estimate that errs high, so the bounds hold.
   */
  long cost() {
    return 2L * data.length() + event.length() + 64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobEvent e && e.id == id && e.event.equals(event) && e.data.equals(data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, event, data);
  }

  @Override
  public String toString() {
    return "JobEvent[id=" + id + ", event=" + event + ", data=" + data + "]";
  }
}
