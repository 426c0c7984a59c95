package io.rbee.jobs.server;

import io.rbee.narration.Narration;
import io.rbee.narration.NarrationBuilder;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link JobContext} that passes everything to another one; subclasses change what they
 * need (a step that keeps its results, a view that narrates as another actor).
 */
public abstract class ForwardingJob implements JobContext {
  private final JobContext job;

  protected ForwardingJob(JobContext job) {
    this.job = Objects.requireNonNull(job, "job");
  }

  @Override
  public String jobId() {
    return job.jobId();
  }

  @Override
  public String actor() {
    return job.actor();
  }

  @Override
  public NarrationBuilder narrateAs(String actor, String action) {
    return job.narrateAs(actor, action);
  }

  @Override
  public void result(Object value) {
    job.result(value);
  }

  @Override
  public void token(String text) {
    job.token(text);
  }

  @Override
  public void relay(String event, String data) {
    job.relay(event, data);
  }

  @Override
  public void relay(Narration narration) {
    job.relay(narration);
  }

  @Override
  public void stats(Map<String, Object> stats) {
    job.stats(stats);
  }

  @Override
  public boolean cancelled() {
    return job.cancelled();
  }

  @Override
  public void onCancel(Runnable action) {
    job.onCancel(action);
  }
}
