package io.rbee.jobs.client;

import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEvent;
import io.rbee.narration.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.Call;
import okhttp3.Response;

/**
 * One open connection to a job's event stream. {@link #next()} reads on the caller's thread;
 * {@link #close()} may be called from any thread and makes a blocked {@code next()} return
 * null. A stream that ends without {@code done} is not finished: {@link #sawDone()} tells, and
 * {@link JobClient#follow} resumes it.
 *
 * <p>Liveness: the stream is opened asking the server for a keep-alive interval, and a
 * {@link SilenceWatch} cancels it once it waited the client's silence limit without a byte;
 * {@code next()} then throws STREAM_BROKEN saying so. There is no per-read socket timeout.
 *
 * <p>Connection reuse: after {@code done}, the rest of the response (the end of the chunked
 * body, which the server writes right after {@code done}) is read, so closing the stream hands
 * its connection back to the client's pool instead of cutting it. A stream closed before its
 * end is cancelled (its connection cannot carry another request).
 */
public final class JobStream implements AutoCloseable {
  /** At most this much is read after {@code done} to reach the body's end; more: cut. */
  private static final int MAX_DRAIN_BYTES = 64 * 1024;

  private final String jobId;
  private final String url;
  private final Call call;
  private final Response response;
  private final SilenceWatch.Deadline deadline;
  private final InputStream body;
  private final SseParser parser;
  // guards closing the response: never while another thread reads from it
  private final Object lock = new Object();
  private boolean reading;
  private boolean closed;
  private volatile boolean sawDone;
  private boolean drained;
  private long lastEventId;

  JobStream(String jobId, String url, Call call, Response response,
      SilenceWatch.Deadline deadline, long afterId) {
    this.jobId = jobId;
    this.url = url;
    this.call = call;
    this.response = response;
    this.deadline = deadline;
    this.body = deadline.watching(response.body().byteStream());
    this.parser = new SseParser(body);
    this.lastEventId = afterId;
  }

  public String jobId() {
    return jobId;
  }

  /**
   * The next event, blocking until one arrives; null once {@code done} was returned, at the end
   * of the stream, or after {@link #close()}. Throws {@link JobClientException} (kind
   * STREAM_BROKEN) when the connection fails while reading, or went silent for longer than the
   * client's limit.
   */
  public SseEvent next() throws JobClientException {
    synchronized (lock) {
      if (sawDone || closed) {
        return null;
      }
      reading = true;
    }
    SseEvent e;
    try {
      e = parser.next();
      if (e != null && JobEvent.DONE.equals(e.event())) {
        sawDone = true;
        drained = drain();
      }
    } catch (IOException ex) {
      synchronized (lock) {
        if (closed) {
          return null;
        }
      }
      IOException why = deadline.expired() ? new SilentPeerException("no byte for "
          + Durations.say(deadline.limit()) + " (not even a keep-alive): the server stopped"
          + " answering", ex) : ex;
      throw new JobClientException(JobClientException.Kind.STREAM_BROKEN, 0, null,
          "stream of job " + jobId + " from " + url + " broke: " + Failures.reason(why), why);
    } finally {
      synchronized (lock) {
        reading = false;
        if (closed) {
          release(); // close() came while this thread read: finish it here
        }
      }
    }
    if (e != null && e.numericId() > 0) {
      lastEventId = e.numericId();
    }
    return e;
  }

  /**
   * Reads what follows {@code done} up to the body's end; true when the end came, so the
   * connection is clean. A server that keeps writing after {@code done} gets its connection
   * cut instead; one that stalls is cut by the silence watch.
   */
  private boolean drain() {
    byte[] sink = new byte[4096];
    int total = 0;
    try {
      for (int n; (n = body.read(sink)) >= 0; ) {
        total += n;
        if (total > MAX_DRAIN_BYTES) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false; // the events are all in; only the connection is lost
    }
  }

  /** True once the {@code done} event was read: the stream is complete. */
  public boolean sawDone() {
    return sawDone;
  }

  /** The id of the last event read (the {@code afterId} it was opened with before any). */
  public long lastEventId() {
    return lastEventId;
  }

  /** Closes the connection; safe from any thread, more than once. */
  @Override
  public void close() {
    boolean idle;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true; // first: the reader must see its failure below as a close
      idle = !reading;
    }
    if (idle) {
      release();
    } else {
      call.cancel(); // unblocks the reader at once; it releases the rest
    }
  }

  /** Ends the exchange: a clean one goes back to the pool, any other is cut. */
  private void release() {
    deadline.close();
    if (!drained) {
      call.cancel();
    }
    response.close();
  }
}
