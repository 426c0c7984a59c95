package io.rbee.queen.inference;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many of this queen's jobs each worker holds now, counted by the queen itself as it
 * places and ends them: exact and instant, where a heartbeat's {@code busy} lags by up to a
 * beat. It is also what a waiting job waits on: {@link #await} returns when a job left a worker
 * or the live registry changed ({@link #changed}).
 *
 * <p>Thread-safe; waits hold no platform thread on a virtual thread.
 */
final class WorkerLoads {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition moved = lock.newCondition();
  private final Map<String, Integer> held = new HashMap<>();
  private long version;

  /** Jobs of this queen at {@code hiveId}'s worker {@code workerId} now. */
  int of(String hiveId, String workerId) {
    lock.lock();
    try {
      return held.getOrDefault(key(hiveId, workerId), 0);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a place at the worker when it holds fewer than {@code slots} of our jobs; false when
   * another job took the last one first.
   */
  boolean tryTake(String hiveId, String workerId, int slots) {
    lock.lock();
    try {
      String k = key(hiveId, workerId);
      int n = held.getOrDefault(k, 0);
      if (n >= slots) {
        return false;
      }
      held.put(k, n + 1);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Gives a place back (the job's relay ended) and wakes the waiters. */
  void release(String hiveId, String workerId) {
    lock.lock();
    try {
      held.computeIfPresent(key(hiveId, workerId), (k, n) -> n <= 1 ? null : n - 1);
      version++;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Something a waiter may care about changed (a beat, a hive gone stale): wake them. */
  void changed() {
    lock.lock();
    try {
      version++;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The change count, to pass to {@link #await}. */
  long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until something changed after {@code seen} (a {@link #version()}), or
   * {@code timeout} passed. Throws InterruptedException when the job is cancelled.
   */
  void await(long seen, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (version == seen && left > 0) {
        left = moved.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private static String key(String hiveId, String workerId) {
    return hiveId + "/" + workerId;
  }
}
