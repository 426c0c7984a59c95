package io.rbee.queen.hives;

import io.rbee.jobs.server.JobContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lifecycle step at a time per hive on another machine: two installs copying into the
 * same {@code dist/}, or a stop racing a start, would leave the machine in a state neither
 * job narrated. A job that has to wait says so. Thread-safe.
 */
final class MachineLocks {
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** What runs while the hive's lock is held. */
  interface Step {
    void run() throws Exception;
  }

  /** Runs {@code step} holding {@code hiveId}'s lock, waiting (cancellably) for it first. */
  void run(String hiveId, String what, JobContext job, Step step) throws Exception {
    ReentrantLock lock = locks.computeIfAbsent(hiveId, id -> new ReentrantLock());
    if (!lock.tryLock()) {
      job.narrate("hive_busy").hiveId(hiveId)
          .human("Waiting for another job's step on hive {} before {}", hiveId, what).emit();
      while (!lock.tryLock(200, TimeUnit.MILLISECONDS)) {
        job.throwIfCancelled();
      }
    }
    try {
      step.run();
    } finally {
      lock.unlock();
    }
  }
}
