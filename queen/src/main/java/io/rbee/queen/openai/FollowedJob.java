package io.rbee.queen.openai;

import io.rbee.jobs.Done;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.Token;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Subscription;
import java.time.Duration;

/**
 * A queen job an OpenAI request started, followed in-process from its first event: the same
 * job anyone can follow over {@code /v1/jobs/{id}/stream}. While it is followed here the job
 * has a follower, so it is never abandoned for want of one; {@link #cancel()} is how a client
 * that went away stops it. One per request; not thread-safe.
 */
final class FollowedJob implements AutoCloseable {
  private final JobServer jobs;
  private final String jobId;
  private final Subscription events;

  private FollowedJob(JobServer jobs, String jobId, Subscription events) {
    this.jobs = jobs;
    this.jobId = jobId;
    this.events = events;
  }

  /** Submits {@code op} to {@code jobs} and follows it (refusals as {@code submit} throws). */
  static FollowedJob start(JobServer jobs, Operation op) {
    Submitted s = jobs.submit(op);
    Subscription events = jobs.follow(s.jobId())
        .orElseThrow(() -> new IllegalStateException("job " + s.jobId() + " is not kept"));
    return new FollowedJob(jobs, s.jobId(), events);
  }

  String jobId() {
    return jobId;
  }

  /**
   * The next event, waiting at most {@code timeout}; null when the wait timed out or every
   * event was read.
   */
  JobEvent next(Duration timeout) throws InterruptedException {
    return events.next(timeout);
  }

  /** Events the job's history bound dropped before the event {@link #next} returned last. */
  long missedBeforeLast() {
    return events.gap() == null ? 0 : events.gap().missed();
  }

  /** Cancels the job (the worker's generation stops with it). */
  void cancel() {
    jobs.cancel(jobId);
  }

  static String text(JobEvent token) {
    return Json.read(token.data(), Token.class).text();
  }

  static Done done(JobEvent done) {
    return Json.read(done.data(), Done.class);
  }

  @Override
  public void close() {
    events.close();
  }
}
