package io.rbee.hive;

import io.rbee.jobs.Token;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JobContext over a channel the test opened itself, the way integrated mode hands the
 * queen's job to hive code: results and tokens go to the channel, narration reaches it through
 * the broadcaster. {@link #cancel()} plays the part of {@code DELETE /v1/jobs/{id}}.
 */
public final class ChannelJobContext implements JobContext {
  private final JobChannel channel;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  private volatile Thread runner;

  public ChannelJobContext(JobChannel channel) {
    this.channel = channel;
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
  public void onCancel(Runnable action) {
    onCancel.add(action);
    if (cancelled.get()) {
      action.run();
    }
  }

  /** The thread to interrupt on cancel (as the job server interrupts its job thread). */
  public void runsOn(Thread thread) {
    this.runner = thread;
  }

  /** Cancels the job: runs the onCancel actions once, interrupts the job's thread. */
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      onCancel.forEach(Runnable::run);
      Thread t = runner;
      if (t != null) {
        t.interrupt();
      }
    }
  }
}
