package io.rbee.narration;

import java.time.Duration;

/**
 * One follower's cursor over a job's events. Each follower has its own subscription and gets
 * every event still kept, in id order, without slowing the job or other followers: events are
 * read from the job's bounded history, never queued per follower.
 *
 * <p>Not thread-safe: one thread reads a subscription. Close it when the follower goes away.
 */
public final class Subscription implements AutoCloseable {
  private final JobChannel channel;
  private long cursor;
  private long missed;
  private boolean closed;

  Subscription(JobChannel channel, long afterId) {
    this.channel = channel;
    this.cursor = Math.max(0, afterId);
  }

  /**
   * The next event after the cursor, waiting at most {@code timeout} for one. Returns null when
   * the wait timed out (the caller may send a keep-alive) or when the job finished and every
   * event was read ({@link #exhausted()} tells which).
   */
  public JobEvent next(Duration timeout) throws InterruptedException {
    if (closed) {
      return null;
    }
    JobChannel.Read read = channel.readAfter(cursor, timeout);
    if (read == null) {
      return null;
    }
    missed += read.missed();
    cursor = read.event().id();
    return read.event();
  }

  /** True when the job finished and this follower has read its last event. */
  public boolean exhausted() {
    return closed || channel.exhaustedAfter(cursor);
  }

  /** The id of the last event returned (0 before the first). */
  public long cursor() {
    return cursor;
  }

  /** How many events this follower missed because the job's history bound evicted them. */
  public long missed() {
    return missed;
  }

  public String jobId() {
    return channel.jobId();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      channel.unfollow();
    }
  }
}
