package io.rbee.narration;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of history that all channels of one {@link Broadcaster} keep, against
 * {@link HistoryLimits#processBytes()}. Channels add what they keep and subtract what they
 * evict; a send that leaves the total over the budget runs the broadcaster's reclaim, one
 * thread at a time (others carry on: the budget may be passed briefly, by what is sent while
 * a reclaim runs).
 *
 * <p>Thread-safe. {@link #reclaimIfOver()} must be called without holding a channel's lock:
 * reclaiming takes channel locks, one at a time.
 */
final class HistoryBudget {
  private final long max;
  private final AtomicLong used = new AtomicLong();
  private final ReentrantLock reclaiming = new ReentrantLock();
  private final Runnable reclaim;

  HistoryBudget(long max, Runnable reclaim) {
    this.max = max;
    this.reclaim = reclaim;
  }

  long max() {
    return max;
  }

  /** What reclaiming brings the total back to: 90% of the budget, so it runs seldom. */
  long target() {
    return max - max / 10;
  }

  long used() {
    return used.get();
  }

  void add(long delta) {
    used.addAndGet(delta);
  }

  void reclaimIfOver() {
    if (used.get() > max && reclaiming.tryLock()) {
      try {
        if (used.get() > max) {
          reclaim.run();
        }
      } finally {
        reclaiming.unlock();
      }
    }
  }
}
