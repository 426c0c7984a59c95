package io.rbee.hive.models;

import io.rbee.jobs.server.JobContext;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job for tests: a real channel on the process broadcaster (where {@code Narrator.of("hive")}
 * emits), so tests assert on the narration JSON a stream would carry. {@link #cancel()} acts as
 * {@code DELETE /v1/jobs/{id}} does: it marks the job cancelled and runs the onCancel actions.
 */
final class TestJob implements JobContext {
  private final String jobId = "job-test-" + UUID.randomUUID();
  private final JobChannel channel = Broadcaster.global().open(jobId);
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();

  @Override
  public String jobId() {
    return jobId;
  }

  @Override
  public void result(Object value) {
    channel.send(JobEvent.RESULT, Json.write(value));
  }

  @Override
  public void token(String text) {
    channel.send(JobEvent.TOKEN, Json.write(Map.of("text", text)));
  }

  @Override
  public void relay(String event, String data) {
    channel.send(event, data);
  }

  @Override
  public void stats(Map<String, Object> stats) {}

  @Override
  public boolean cancelled() {
    return cancelled.get();
  }

  @Override
  public synchronized void onCancel(Runnable action) {
    if (cancelled.get()) {
      action.run();
    } else {
      onCancel.add(action);
    }
  }

  synchronized void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      onCancel.forEach(Runnable::run);
    }
  }

  /** The narrations sent so far, parsed from the channel's JSON. */
  List<Narration> narrations() {
    return channel.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.NARRATION))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
  }

  List<Narration> narrations(String action) {
    return narrations().stream().filter(n -> n.action().equals(action)).toList();
  }

  /** The data of every {@code result} event, as JSON text. */
  List<String> results() {
    return channel.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.RESULT))
        .map(JobEvent::data)
        .toList();
  }

  <T> T lastResult(Class<T> type) {
    List<String> r = results();
    return Json.read(r.get(r.size() - 1), type);
  }
}
