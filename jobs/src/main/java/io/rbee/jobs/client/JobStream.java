package io.rbee.jobs.client;

import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEvent;
import io.rbee.narration.sse.SseParser;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * One open connection to a job's event stream. {@link #next()} reads on the caller's thread;
 * {@link #close()} may be called from any thread and makes a blocked {@code next()} return
 * null. A stream that ends without {@code done} is not finished: {@link #sawDone()} tells, and
 * {@link JobClient#follow} resumes it.
 */
public final class JobStream implements AutoCloseable {
  private final String jobId;
  private final String url;
  private final Call call;
  private final Response response;
  private final SseParser parser;
  // guards closing the response: never while another thread reads from it
  private final Object lock = new Object();
  private boolean reading;
  private boolean closed;
  private boolean sawDone;
  private long lastEventId;

  JobStream(String jobId, String url, Call call, Response response, long afterId) {
    this.jobId = jobId;
    this.url = url;
    this.call = call;
    this.response = response;
    this.parser = new SseParser(response.body().byteStream());
    this.lastEventId = afterId;
  }

  public String jobId() {
    return jobId;
  }

  /**
   * The next event, blocking until one arrives; null once {@code done} was returned, at the end
   * of the stream, or after {@link #close()}. Throws {@link JobClientException} (kind
   * STREAM_BROKEN) when the connection fails while reading.
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
    } catch (IOException ex) {
      synchronized (lock) {
        if (closed) {
          return null;
        }
      }
      throw new JobClientException(JobClientException.Kind.STREAM_BROKEN, 0, null,
          "stream of job " + jobId + " from " + url + " broke: " + Failures.reason(ex), ex);
    } finally {
      synchronized (lock) {
        reading = false;
        if (closed) {
          response.close(); // close() came while this thread read: finish it here
        }
      }
    }
    if (e == null) {
      return null;
    }
    if (e.numericId() > 0) {
      lastEventId = e.numericId();
    }
    if (JobEvent.DONE.equals(e.event())) {
      sawDone = true;
    }
    return e;
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
      closed = true; // first: the reader must see its failure below as a close
      idle = !reading;
    }
    call.cancel(); // unblocks a reader at once
    if (idle) {
      response.close();
    }
  }
}
