package io.rbee.narration;

import java.time.Duration;

/**
 * One follower's cursor over a job's events. Each follower has its own subscription and gets
 * every event still kept, in id order, without slowing the job or other followers: events are
 * read from the job's bounded history, never queued per follower (a subscription holds at most
 * {@link #BATCH} events it took from the history and has not returned yet).
 *
 * <p>Where the history no longer holds the events after the cursor, the subscription skips to
 * the oldest kept and says so: {@link #gap()} describes the skip before the event just returned.
 *
 * <p>Not thread-safe: one thread reads a subscription. Close it when the follower goes away.
 */
public final class Subscription implements AutoCloseable {
  /** The most events taken from the history under one lock. */
  static final int BATCH = 64;

  private final JobChannel channel;
  private final long joinedAt;
  // written by the reading thread, read by any (lag)
  private volatile long cursor;
  private long missed;
  private Gap gap;
  private final JobChannel.Batch batch = new JobChannel.Batch(BATCH);
  private int next;
  private boolean closed;

  Subscription(JobChannel channel, long afterId, long joinedAt) {
    this.channel = channel;
    this.cursor = Math.max(0, afterId);
    this.joinedAt = joinedAt;
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
    if (next >= batch.size) {
      if (!channel.readAfter(cursor, batch, timeout)) {
        return null;
      }
      next = 0;
    }
    JobEvent e = batch.events[next];
    batch.events[next++] = null; // the history keeps it (or evicts it), not this follower
    if (next == 1 && batch.missed > 0) {
      gap = new Gap(channel.jobId(), batch.missed, e.id());
      missed += batch.missed;
    } else {
      gap = null;
    }
    cursor = e.id();
    return e;
  }

  /**
   * The events skipped just before the event {@link #next} returned last, because the job's
   * history bound had evicted them; null when there were none.
   */
  public Gap gap() {
    return gap;
  }

  /**
   * Waits until {@code deadlineNanos} ({@link System#nanoTime}) for more tokens to gather,
   * ending early (or not waiting) when anything other than a token (a narration,
   * {@code done}) is sent after the cursor. Tokens sent meanwhile do not end the wait;
   * {@link #next} returns them afterwards.
   */
  public void lingerForTokens(long deadlineNanos) throws InterruptedException {
    if (!closed) {
      channel.lingerAfter(cursor, deadlineNanos);
    }
  }

  /** True when the job finished and this follower has read its last event. */
  public boolean exhausted() {
    return closed || next >= batch.size && channel.exhaustedAfter(cursor);
  }

  /** The id of the last event returned (0 before the first). */
  public long cursor() {
    return cursor;
  }

  /**
   * How far behind the job this follower is: the events sent since it attached that it has
   * not read yet. Events that were already there when it attached (a replay) do not count, so
   * a late follower is not behind merely for being late. Safe to call from any thread; the
   * answer may be a moment old.
   */
  public long lag() {
    return Math.max(0, channel.lastId() - Math.max(cursor, joinedAt));
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
