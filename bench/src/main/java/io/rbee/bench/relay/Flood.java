package io.rbee.bench.relay;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.JobChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code HiveCheck} as the flood hive runs it: waits for a {@link FloodPlan} ({@link #go}) and
 * for a follower on its own job, then emits the plan's narrations with the real
 * {@link Narrator} — one distinct action, {@value #ACTION}, numbered in {@code target} — and
 * returns.
 *
 * <p>Why the two waits: every path under test (direct, through nginx, through the queen) must
 * start with its whole chain connected, or the first events would be replayed from history and
 * their latency would measure the connect time. The benchmark opens its stream first, then
 * calls {@link #go}; in the queen path the queen's relay is the follower this job waits for.
 *
 * <p>Thread-safe; {@link #go} may come before or after the job starts.
 */
public final class Flood implements OperationHandler {
  /** The action of every flood narration (the benchmark times only these). */
  public static final String ACTION = "flood_event";

  private final BlockingQueue<FloodPlan> plans = new LinkedBlockingQueue<>();
  private final Duration startTimeout;

  /** A flood that fails a job whose plan or follower does not come within {@code startTimeout}. */
  public Flood(Duration startTimeout) {
    this.startTimeout = startTimeout;
  }

  /** Lets the next (or the waiting) flood job run {@code plan}. */
  public void go(FloodPlan plan) {
    plans.add(plan);
  }

  @Override
  public void execute(Operation operation, JobContext job) throws Exception {
    if (!(operation instanceof Operation.HiveCheck check)) {
      throw new OperationException(ErrorKind.UNSUPPORTED_OPERATION,
          "the flood hive runs HiveCheck only, got " + operation.name());
    }
    FloodPlan plan = plans.poll(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    if (plan == null) {
      throw new OperationException(ErrorKind.INTERNAL, "flood not started: no POST /flood/go within "
          + startTimeout.toSeconds() + " s of job " + job.jobId());
    }
    awaitFollower(job);
    emit(plan, check.hiveId(), job);
  }

  private void awaitFollower(JobContext job) throws InterruptedException {
    JobChannel channel = Broadcaster.global().find(job.jobId()).orElseThrow(
        () -> new IllegalStateException("job " + job.jobId() + " has no channel"));
    CountDownLatch followed = new CountDownLatch(1);
    channel.onFollowersChanged(n -> {
      if (n > 0) {
        followed.countDown();
      }
    });
    if (channel.followers() > 0) {
      followed.countDown();
    }
    if (!followed.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new OperationException(ErrorKind.INTERNAL, "flood not followed: nobody followed job " + job.jobId()
          + " within " + startTimeout.toSeconds() + " s");
    }
  }

  private static void emit(FloodPlan plan, String hiveId, JobContext job) {
    long start = System.nanoTime();
    double intervalNanos = plan.burst() ? 0 : 1e9 / plan.rate();
    for (int i = 1; i <= plan.events(); i++) {
      if (!plan.burst()) {
        long due = start + (long) ((i - 1) * intervalNanos);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
      }
      job.narrate(ACTION).hiveId(hiveId).target(Integer.toString(i))
          .human("Flood event {} of {}", i, plan.events()).emit();
      if ((i & 1023) == 0) {
        job.throwIfCancelled();
      }
    }
  }
}
