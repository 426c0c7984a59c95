package io.rbee.jobs.server;

import io.rbee.jobs.Done;
import io.rbee.narration.Gap;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Token;
import io.rbee.jobs.metrics.JobMetrics;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.NarrationBuilder;
import io.rbee.narration.NarrationJson;
import io.rbee.narration.Narrator;
import io.rbee.narration.Redactor;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job of a {@link JobServer}: its channel, its state, and the {@link JobContext} its
 * operation code sees.
 *
 * <p>State moves QUEUED → RUNNING → one final state, or QUEUED → CANCELLED. The final state is
 * set in the same step that sends {@code done}, under this object's lock, so {@link #info()}
 * never reports a final status before the stream has it, and {@code done} is sent exactly once.
 */
final class Job implements JobContext {
  private static final Logger LOG = LoggerFactory.getLogger(Job.class);

  private final String jobId;
  private final Operation operation;
  private final JobChannel channel;
  private final Narrator narrator;
  private final Instant createdAt = Instant.now();
  private final long createdNanos = System.nanoTime();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final List<Runnable> cancelActions = new ArrayList<>();
  private JobStatus status = JobStatus.QUEUED;
  private Thread thread;
  private boolean cancelled;
  private String cancelReason;
  private Instant finishedAt;
  private String error;
  private String errorKind;
  private volatile Map<String, Object> stats;
  // events of relayed jobs that never reached this one, from the gaps relayed into it
  private final AtomicLong lostEvents = new AtomicLong();

  private final Runnable onEnd;
  private final JobMetrics metrics;
  private final JobArchive archive;

  /**
   * {@code narrator}: the daemon's own actor and broadcaster (the one {@code channel} is on);
   * {@code onEnd} runs once, right before {@code done} is sent: whoever reads {@code done} and
   * submits again finds the job no longer counted as live (a worker's one-slot queue);
   * {@code metrics}: where its end and its relayed events are counted; {@code archive}: told
   * each change of status (under this object's lock, after the change).
   */
  Job(String jobId, Operation operation, JobChannel channel, Narrator narrator, Runnable onEnd,
      JobMetrics metrics, JobArchive archive) {
    this.archive = archive;
    this.jobId = jobId;
    this.operation = operation;
    this.channel = channel;
    this.narrator = narrator;
    this.onEnd = onEnd;
    this.metrics = metrics;
  }

  @Override
  public String jobId() {
    return jobId;
  }

  @Override
  public String actor() {
    return narrator.actor();
  }

  @Override
  public NarrationBuilder narrateAs(String actor, String action) {
    return (actor.equals(narrator.actor()) ? narrator : narrator.as(actor)).job(jobId, action);
  }

  Operation operation() {
    return operation;
  }

  JobChannel channel() {
    return channel;
  }

  @Override
  public void result(Object value) {
    // a result can quote what a user gave (a model's source URL): no secret leaves with it
    channel.send(JobEvent.RESULT, Redactor.redact(Json.write(value)));
  }

  @Override
  public void token(String text) {
    channel.send(JobEvent.TOKEN, Json.write(new Token(text)));
  }

  @Override
  public void relay(String event, String data) {
    if (JobEvent.DONE.equals(event)) {
      throw new IllegalArgumentException(
          "relay must not send done: the job's creator ends job " + jobId);
    }
    if (JobEvent.NARRATION.equals(event)) {
      String rehomed = NarrationJson.withJobId(data, jobId); // the hot path: no parse
      try {
        data = rehomed != null ? rehomed
            : Json.write(Json.read(data, Narration.class).withJobId(jobId));
      } catch (UncheckedIOException e) {
        LOG.warn("job {}: relayed narration is not narration JSON, passed on as is: {}",
            jobId, HttpErrors.oneLine(e));
      }
    } else if (JobEvent.GAP.equals(event)) {
      countLost(data);
    }
    metrics.relayed();
    channel.send(event, data);
  }

  /** A relayed gap is kept in this job's history, and what it missed is told by done. */
  private void countLost(String gapData) {
    try {
      Gap gap = Json.read(gapData, Gap.class);
      if (gap.missed() > 0) {
        lostEvents.addAndGet(gap.missed());
      }
    } catch (UncheckedIOException e) {
      LOG.warn("job {}: relayed gap is not gap JSON, passed on as is: {}", jobId,
          HttpErrors.oneLine(e));
    }
  }

  @Override
  public void relay(Narration narration) {
    metrics.relayed();
    channel.send(JobEvent.NARRATION, Json.write(narration.withJobId(jobId)));
  }

  @Override
  public void stats(Map<String, Object> stats) {
    this.stats = stats == null ? null : Map.copyOf(stats);
  }

  @Override
  public synchronized boolean cancelled() {
    return cancelled;
  }

  @Override
  public void onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        cancelActions.add(action);
        return;
      }
    }
    runAside(action);
  }

  /**
   * Marks the job running on the current thread; false when it must not run (it was cancelled
   * while queued and has already ended).
   */
  synchronized boolean start() {
    if (status != JobStatus.QUEUED || cancelled) {
      return false; // a cancel of the queued job ends it (or is about to)
    }
    status = JobStatus.RUNNING;
    thread = Thread.currentThread();
    archive.changed(info());
    return true;
  }

  /**
   * Detaches the job from its thread (so a late cancel cannot interrupt the pool thread's next
   * job) and clears an interrupt a cancel left behind.
   */
  void detach() {
    synchronized (this) {
      thread = null;
    }
    Thread.interrupted();
  }

  /**
   * Cancels the job: marks it, starts its onCancel actions once, each on a virtual thread of
   * its own (an action may do blocking network calls: a remote cancel), and interrupts the
   * operation thread. A queued job ends at once. Returns false when the job had already ended
   * or been cancelled.
   */
  boolean cancel(String reason) {
    List<Runnable> actions;
    boolean queued;
    synchronized (this) {
      if (cancelled || status.isFinal()) {
        return false;
      }
      cancelled = true;
      cancelReason = reason;
      actions = List.copyOf(cancelActions);
      cancelActions.clear();
      queued = status == JobStatus.QUEUED;
    }
    actions.forEach(Job::runAside);
    if (queued) {
      end(JobStatus.CANCELLED, reason);
    } else {
      synchronized (this) {
        if (thread != null) {
          thread.interrupt();
        }
      }
    }
    return true;
  }

  synchronized String cancelReason() {
    return cancelReason;
  }

  /**
   * Sends {@code done} and enters the final state; returns false when the job had already
   * ended (the first end wins: exactly one {@code done}).
   */
  boolean end(JobStatus finalStatus, String errorMessage) {
    return end(finalStatus, errorMessage, null);
  }

  /** {@link #end(JobStatus, String)} with the failure's {@code error_kind} for {@code done}. */
  boolean end(JobStatus finalStatus, String rawError, String kind) {
    // the error goes to done and to GET /v1/jobs/{id}; it quotes exceptions, which quote URLs
    String errorMessage = Redactor.redact(rawError);
    synchronized (this) {
      if (status.isFinal()) {
        return false;
      }
      status = finalStatus;
      error = errorMessage;
      errorKind = kind;
      finishedAt = Instant.now();
      runQuietly(onEnd);
      metrics.ended(operation.name(), finalStatus.wire(),
          (System.nanoTime() - createdNanos) / 1e9);
      channel.finish(doneData(finalStatus, errorMessage, kind));
      archive.changed(info()); // after done: its last_event_id is done's
    }
    ended.countDown();
    return true;
  }

  private String doneData(JobStatus finalStatus, String errorMessage, String kind) {
    try {
      return Json.write(
          new Done(jobId, finalStatus, errorMessage, kind, stats, lostEvents.get()));
    } catch (RuntimeException e) {
      // stats the operation set could not be written: still end the job, without them
      LOG.warn("job {}: stats are not serialisable, done sent without them: {}", jobId,
          HttpErrors.oneLine(e));
      return Json.write(
          new Done(jobId, finalStatus, errorMessage, kind, null, lostEvents.get()));
    }
  }

  /** Waits until the job ended; true when it did within {@code millis}. */
  boolean awaitEnd(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  JobMetrics metrics() {
    return metrics;
  }

  synchronized boolean isFinal() {
    return status.isFinal();
  }

  synchronized JobInfo info() {
    return new JobInfo(jobId, operation.name(), status, createdAt.toString(),
        finishedAt == null ? null : finishedAt.toString(), error, errorKind, channel.lastId());
  }

  private static void runAside(Runnable action) {
    Thread.ofVirtual().name("job-cancel-action").start(() -> runQuietly(action));
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("an onCancel action failed: {}", HttpErrors.oneLine(e), e);
    }
  }
}
