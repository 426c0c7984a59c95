package io.rbee.queen.hives;

import io.rbee.jobs.server.JobContext;
import io.rbee.narration.Narration;
import io.rbee.narration.NarrationBuilder;
import io.rbee.narration.Narrator;
import java.util.Map;

/**
 * Lifecycle work the queen does outside any job (stopping its hives when it shuts down): the
 * narration goes to the queen's log only, results are dropped, and it is never cancelled.
 * Thread-safe (stateless).
 */
final class LoggedJob implements JobContext {
  static final LoggedJob QUEEN = new LoggedJob();

  private LoggedJob() {}

  @Override
  public String jobId() {
    return "queen-shutdown";
  }

  @Override
  public String actor() {
    return "queen";
  }

  @Override
  public NarrationBuilder narrateAs(String actor, String action) {
    return Narrator.of(actor).withoutJob(action);
  }

  @Override
  public void result(Object value) {}

  @Override
  public void token(String text) {}

  @Override
  public void relay(String event, String data) {}

  @Override
  public void relay(Narration narration) {}

  @Override
  public void stats(Map<String, Object> stats) {}

  @Override
  public boolean cancelled() {
    return false;
  }

  @Override
  public void onCancel(Runnable action) {}
}
