package io.rbee.testkit.sse;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows one job stream on a background thread and lets a test take its events one by one,
 * waiting at most {@link #TIMEOUT} for each (after OkHttp's {@code EventSourceRecorder}):
 *
 * <pre>{@code
 * try (SseRecorder rec = SseRecorder.follow(client, jobId)) {
 *   rec.assertNarration("worker_spawn");
 *   rec.assertEvent("result");
 *   rec.assertDone(JobStatus.SUCCEEDED);
 *   rec.assertExhausted();
 * }
 * }</pre>
 *
 * <p>The {@code assert…} and {@code take…} methods are meant for the test thread only; every
 * failure says what arrived instead. Close the recorder to close the connection.
 */
public final class SseRecorder implements AutoCloseable {
  /** How long each step waits for the next event. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** An event, the end of the stream (both null), or the failure that ended it. */
  private record Item(SseEvent event, Throwable failure) {}

  private final JobStream stream;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final List<SseEvent> seen = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private boolean ended;

  private SseRecorder(JobStream stream) {
    this.stream = stream;
    this.reader = new Thread(this::read, "sse-recorder-" + stream.jobId());
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream of {@code jobId} from its first event and starts recording. */
  public static SseRecorder follow(JobClient client, String jobId) throws JobClientException {
    return follow(client, jobId, 0);
  }

  /** Opens the stream of {@code jobId} after event {@code afterId} and starts recording. */
  public static SseRecorder follow(JobClient client, String jobId, long afterId)
      throws JobClientException {
    return new SseRecorder(client.stream(jobId, afterId));
  }

  /** Records an already open stream. */
  public static SseRecorder of(JobStream stream) {
    return new SseRecorder(stream);
  }

  private void read() {
    try {
      SseEvent e;
      while ((e = stream.next()) != null) {
        queue.add(new Item(e, null));
      }
      queue.add(new Item(null, null));
    } catch (JobClientException | RuntimeException e) {
      queue.add(new Item(null, e));
    }
  }

  /** The next event, whatever it is. */
  public SseEvent nextEvent() {
    Item item = take("an event");
    if (item.event() == null) {
      throw ended(item, "an event");
    }
    seen.add(item.event());
    return item.event();
  }

  /** The next event, which must be named {@code eventName}. */
  public SseEvent assertEvent(String eventName) {
    SseEvent e = nextEvent();
    if (!eventName.equals(e.event())) {
      throw new AssertionError("expected event \"" + eventName + "\" but got " + describe(e));
    }
    return e;
  }

  /** The next event, which must be a narration of {@code action}; returns it parsed. */
  public Narration assertNarration(String action) {
    SseEvent e = assertEvent(JobEvent.NARRATION);
    Narration n = Json.read(e.data(), Narration.class);
    if (!action.equals(n.action())) {
      throw new AssertionError("expected narration \"" + action + "\" but got " + describe(e));
    }
    return n;
  }

  /**
   * Skips events until one named {@code eventName} and returns it; fails if the stream ends
   * (or {@code done} comes, when another name is awaited) first.
   */
  public SseEvent awaitEvent(String eventName) {
    while (true) {
      SseEvent e = nextEvent();
      if (eventName.equals(e.event())) {
        return e;
      }
      if (JobEvent.DONE.equals(e.event())) {
        throw new AssertionError("expected event \"" + eventName
            + "\" but the job ended first: " + describe(e) + "; events: " + names());
      }
    }
  }

  /** Every event up to and including {@code done}. */
  public List<SseEvent> takeUntilDone() {
    List<SseEvent> events = new ArrayList<>();
    while (true) {
      SseEvent e = nextEvent();
      events.add(e);
      if (JobEvent.DONE.equals(e.event())) {
        return events;
      }
    }
  }

  /**
   * Skips events until {@code done} (see {@link #takeUntilDone()} to check them) and asserts
   * the job's final status; returns the parsed {@code done}.
   */
  public Done assertDone(JobStatus expected) {
    List<SseEvent> events = takeUntilDone();
    SseEvent last = events.get(events.size() - 1);
    Done done = Json.read(last.data(), Done.class);
    if (done.status() != expected) {
      throw new AssertionError("expected the job to end " + expected.wire() + " but it ended "
          + describe(last) + "; events: " + names());
    }
    return done;
  }

  /** Asserts that the stream ended cleanly with nothing more after what was taken. */
  public void assertExhausted() {
    Item item = take("the end of the stream");
    if (item.event() != null) {
      seen.add(item.event());
      throw new AssertionError("expected the stream to end but got " + describe(item.event()));
    }
    if (item.failure() != null) {
      throw new AssertionError("expected the stream to end cleanly but it failed: "
          + item.failure().getMessage(), item.failure());
    }
  }

  /** Every event taken so far, in order. */
  public List<SseEvent> events() {
    return List.copyOf(seen);
  }

  /** Closes the connection and stops the reader thread. */
  @Override
  public void close() {
    stream.close();
    try {
      reader.join(TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Item take(String wanted) {
    if (ended) {
      throw new AssertionError("expected " + wanted + " but the stream already ended; events: "
          + names());
    }
    Item item;
    try {
      item = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + wanted, e);
    }
    if (item == null) {
      throw new AssertionError("expected " + wanted + " within " + TIMEOUT.toSeconds()
          + " s but nothing arrived; events so far: " + names());
    }
    if (item.event() == null) {
      ended = true;
    }
    return item;
  }

  private AssertionError ended(Item item, String wanted) {
    if (item.failure() != null) {
      return new AssertionError("expected " + wanted + " but the stream failed: "
          + item.failure().getMessage() + "; events: " + names(), item.failure());
    }
    return new AssertionError("expected " + wanted + " but the stream ended; events: "
        + names());
  }

  private List<String> names() {
    return seen.stream().map(e -> e.id() + ":" + e.event()).toList();
  }

  private static String describe(SseEvent e) {
    String data = e.data().length() > 300 ? e.data().substring(0, 300) + "..." : e.data();
    return "event \"" + e.event() + "\" (id " + e.id() + "): " + data;
  }
}
