package io.rbee.queen.history;

import io.rbee.narration.JobEvent;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of one job's events, in id order, packed into the bytes of one {@code event_runs} row:
 * the history stores what its writer drained of a job in one batch as one row, because an
 * SQLite insert costs 3–4 µs whatever the row holds, more than the queen spends relaying the
 * event (docs/BENCHMARKS.md, benchmark 1).
 *
 * <p>The bytes: a format byte ({@value #FORMAT}), then per event its id (8 bytes), its name
 * and its data, each as a 4-byte length and that many UTF-8 bytes. Ids rise within a run but
 * need not be contiguous (events the writer dropped are missing).
 */
final class EventRun {
  static final int FORMAT = 1;
  /** A run closes at this many events or {@link #MAX_BYTES}, so a replay reads in steps. */
  static final int MAX_EVENTS = 2_000;
  static final int MAX_BYTES = 256 * 1024;

  // the events and their data as UTF-8, copied into the row's bytes once, at their size
  private final List<JobEvent> events = new ArrayList<>();
  private final List<byte[]> data = new ArrayList<>();
  private int size = 1;

  /** True when {@code e} may be added: its id is above the run's last. */
  boolean accepts(JobEvent e) {
    return events.isEmpty() || e.id() > lastId();
  }

  /** Adds {@code e}; throws {@link IllegalArgumentException} unless it {@link #accepts}. */
  void add(JobEvent e) {
    if (!accepts(e)) {
      throw new IllegalArgumentException("event " + e.id() + " after " + lastId());
    }
    byte[] utf8 = e.data().getBytes(StandardCharsets.UTF_8);
    events.add(e);
    data.add(utf8);
    size += Long.BYTES + Integer.BYTES + utf8Length(e.event()) + Integer.BYTES + utf8.length;
  }

  /** True when the run should be stored before another event is added. */
  boolean full() {
    return events.size() >= MAX_EVENTS || size >= MAX_BYTES;
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** The first event's id; only for a run that is not empty. */
  long firstId() {
    return events.getFirst().id();
  }

  /** The last event's id; only for a run that is not empty. */
  long lastId() {
    return events.getLast().id();
  }

  byte[] packed() {
    ByteBuffer out = ByteBuffer.allocate(size); // big-endian, as DataInputStream reads it
    out.put((byte) FORMAT);
    for (int i = 0; i < events.size(); i++) {
      JobEvent e = events.get(i);
      byte[] name = e.event().getBytes(StandardCharsets.UTF_8);
      out.putLong(e.id()).putInt(name.length).put(name);
      out.putInt(data.get(i).length).put(data.get(i));
    }
    return out.array();
  }

  // event names are short: encoding one twice costs less than keeping its bytes
  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The run of exactly {@code events}. */
  static byte[] pack(List<JobEvent> events) {
    EventRun run = new EventRun();
    events.forEach(run::add);
    return run.packed();
  }

  /** A row's events with an id above {@code afterId}, added to {@code into} up to {@code max}. */
  static void unpack(byte[] packed, long afterId, int max, List<JobEvent> into) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
      int format = in.read();
      if (format != FORMAT) {
        throw new IllegalStateException("an event run of unknown format " + format);
      }
      while (into.size() < max && in.available() > 0) {
        long id = in.readLong();
        String event = readString(in);
        String data = readString(in);
        if (id > afterId) {
          into.add(new JobEvent(id, event, data));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("a truncated event run: " + e.getMessage(), e);
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) { // a damaged row must not ask for gigabytes
      throw new IOException("a length of " + n + " past the row's end");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
