package io.rbee.queen.inference;

import io.rbee.jobs.server.ForwardingJob;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The context of one step of a job (the worker spawn of an inference): everything passes
 * through to the job except {@code result} events, which it keeps — a step's result is the
 * scheduler's to read, not the follower's (an {@code rbee infer} prints only tokens). Cancel
 * actions the step registers apply only while the step runs ({@link #close()} ends it): a
 * spawn's "kill the starting worker" must not fire when the inference is cancelled later.
 */
final class ResultCapture extends ForwardingJob implements AutoCloseable {
  private final AtomicReference<String> result = new AtomicReference<>();
  private volatile boolean closed;

  ResultCapture(JobContext job) {
    super(job);
  }

  /** The last captured result as {@code type}, or null when there was none. */
  <T> T result(Class<T> type) {
    String json = result.get();
    return json == null ? null : Json.read(json, type);
  }

  @Override
  public void result(Object value) {
    result.set(Json.write(value));
  }

  @Override
  public void relay(String event, String data) {
    if (JobEvent.RESULT.equals(event)) {
      result.set(data);
    } else {
      super.relay(event, data);
    }
  }

  @Override
  public void onCancel(Runnable action) {
    super.onCancel(() -> {
      if (!closed) {
        action.run();
      }
    });
  }

  /** Ends the step: its cancel actions no longer run. */
  @Override
  public void close() {
    closed = true;
  }
}
