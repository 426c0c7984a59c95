package io.rbee.testkit.jobs;

import io.rbee.jobs.Token;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.NarrationBuilder;
import io.rbee.narration.NarrationJson;
import io.rbee.narration.Narrator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job for tests that call operation code directly, the way integrated mode hands the queen's
 * job to hive code: a real channel (where {@code Narrator}s emit through the broadcaster), so
 * tests assert on the narration JSON a stream would carry. {@link #cancel()} acts as
 * {@code DELETE /v1/jobs/{id}} does: it marks the job cancelled, runs the onCancel actions
 * once and interrupts the job's thread when one was named with {@link #runsOn}.
 */
public final class TestJob implements JobContext {
  /** The actor a test job narrates as unless viewed {@link #as} another. */
  public static final String ACTOR = "test";

  private final JobChannel channel;
  private final Narrator narrator;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  private volatile Thread runner;

  private TestJob(JobChannel channel, Broadcaster broadcaster) {
    this.channel = channel;
    this.narrator = Narrator.of(ACTOR, broadcaster);
  }

  /** A job with a new channel on the process-wide broadcaster. */
  public static TestJob open() {
    return new TestJob(Broadcaster.global().open("job-test-" + UUID.randomUUID()),
        Broadcaster.global());
  }

  /** A job over a channel the test opened itself on the process-wide broadcaster. */
  public static TestJob over(JobChannel channel) {
    return new TestJob(channel, Broadcaster.global());
  }

  /** A job over a channel the test opened on {@code broadcaster} (as a queen would). */
  public static TestJob over(JobChannel channel, Broadcaster broadcaster) {
    return new TestJob(channel, broadcaster);
  }

  @Override
  public String actor() {
    return narrator.actor();
  }

  @Override
  public NarrationBuilder narrateAs(String actor, String action) {
    return narrator.as(actor).job(jobId(), action);
  }

  public JobChannel channel() {
    return channel;
  }

  @Override
  public String jobId() {
    return channel.jobId();
  }

  @Override
  public void result(Object value) {
    channel.send(JobEvent.RESULT, Json.write(value));
  }

  @Override
  public void token(String text) {
    channel.send(JobEvent.TOKEN, Json.write(new Token(text)));
  }

  /** As the job server does: narration is re-homed to this job, {@code done} is refused. */
  @Override
  public void relay(String event, String data) {
    if (JobEvent.DONE.equals(event)) {
      throw new IllegalArgumentException("relay must not send done");
    }
    if (JobEvent.NARRATION.equals(event)) {
      String rehomed = NarrationJson.withJobId(data, jobId());
      data = rehomed != null ? rehomed
          : Json.write(Json.read(data, Narration.class).withJobId(jobId()));
    }
    channel.send(event, data);
  }

  @Override
  public void relay(Narration narration) {
    channel.send(JobEvent.NARRATION, Json.write(narration.withJobId(jobId())));
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

  /** The thread to interrupt on cancel (as the job server interrupts its job thread). */
  public void runsOn(Thread thread) {
    this.runner = thread;
  }

  /** Cancels the job: runs the onCancel actions once, interrupts the job's thread. */
  public synchronized void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      onCancel.forEach(Runnable::run);
      Thread t = runner;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  /** The narrations sent so far, parsed from the channel's JSON. */
  public List<Narration> narrations() {
    return channel.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.NARRATION))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
  }

  public List<Narration> narrations(String action) {
    return narrations().stream().filter(n -> n.action().equals(action)).toList();
  }

  /** The data of every {@code result} event, as JSON text. */
  public List<String> results() {
    return channel.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.RESULT))
        .map(JobEvent::data)
        .toList();
  }

  public <T> T lastResult(Class<T> type) {
    List<String> r = results();
    return Json.read(r.get(r.size() - 1), type);
  }
}
