package io.rbee.jobs.limits;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.metrics.QueueMetrics;
import io.rbee.jobs.server.JobContext;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A limited resource, named for what it protects ("the generation slot of worker w-1",
 * "a worker spawn on hive localhost"): at most {@code permits} jobs hold it at once, the others
 * wait in arrival order.
 *
 * <p>A job that has to wait is told so on its own stream, with what it waits for and its place
 * in the queue ({@code wait_queued}), again as it moves up (each place in the last
 * {@value #TELL_EVERY}, else each time it passes a multiple of {@value #TELL_EVERY}: telling
 * every place would make a queue of n jobs narrate n²/2 times), and when it gets through
 * ({@code wait_done}, with how long it waited). A job that gets in at once narrates nothing.
 *
 * <p>Waiting holds no platform thread when the caller runs on a virtual thread, as every job
 * does. A waiter whose job is cancelled (its thread interrupted) leaves the queue and gets
 * {@link JobCancelledException}. A gate made with a bound on its queue refuses a job that
 * would have to wait behind that many others: {@code queue_full}, naming the resource and the
 * bound. Thread-safe.
 */
public final class Gate {
  private final String resource;
  private final int permits;
  private final int maxWaiting;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition moved = lock.newCondition();
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int held;
  private volatile DistributionDataPoint waits;

  /** A resource {@code resource} (said to people as is) with {@code permits} holders at most. */
  public Gate(String resource, int permits) {
    this(resource, permits, Integer.MAX_VALUE);
  }

  /**
   * As above, with at most {@code maxWaiting} jobs waiting: one more is refused with
   * {@link ErrorKind#QUEUE_FULL} instead of queued.
   */
  public Gate(String resource, int permits, int maxWaiting) {
    this.resource = Objects.requireNonNull(resource, "resource");
    if (permits < 1) {
      throw new IllegalArgumentException(resource + ": permits must be >= 1, got " + permits);
    }
    if (maxWaiting < 1) {
      throw new IllegalArgumentException(resource + ": maxWaiting must be >= 1, got "
          + maxWaiting);
    }
    this.permits = permits;
    this.maxWaiting = maxWaiting;
  }

  /**
   * Observes how long each job waited here ({@code rbee_queue_wait_seconds}, 0 for one that
   * got in at once) under {@code daemon} and {@code queue}; returns this gate.
   */
  public Gate timed(String daemon, String queue) {
    this.waits = QueueMetrics.waits(daemon, queue);
    return this;
  }

  /** What this gate protects, as narrated. */
  public String resource() {
    return resource;
  }

  public int permits() {
    return permits;
  }

  /** Jobs holding the resource now. */
  public int holders() {
    lock.lock();
    try {
      return held;
    } finally {
      lock.unlock();
    }
  }

  /** Jobs waiting for it now. */
  public int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits (narrating into {@code job}) until the resource is free, then holds it until the
   * returned permit is closed. Throws {@link JobCancelledException} when the job is cancelled
   * while it waits, and {@code queue_full} when it would wait behind the bound.
   */
  public Permit enter(JobContext job) {
    Object me = new Object();
    long start = System.nanoTime();
    int told = -1;
    lock.lock();
    try {
      if ((held >= permits || !queue.isEmpty()) && queue.size() >= maxWaiting) {
        throw new OperationException(ErrorKind.QUEUE_FULL, "cannot wait for " + resource + ": "
            + queue.size() + " jobs wait for it already (the limit); try again later");
      }
      queue.addLast(me);
      while (queue.peekFirst() != me || held >= permits) {
        int ahead = position(me);
        if (worthTelling(told, ahead)) {
          told = ahead;
          job.narrate("wait_queued").human("Waiting for {}: {} in use (of {}), {} ahead of this"
              + " job", resource, held, permits, ahead).emit();
        }
        try {
          moved.await();
        } catch (InterruptedException e) {
          queue.remove(me);
          moved.signalAll();
          Thread.currentThread().interrupt();
          throw new JobCancelledException();
        }
        if (job.cancelled()) {
          queue.remove(me);
          moved.signalAll();
          throw new JobCancelledException();
        }
      }
      queue.removeFirst();
      held++;
      moved.signalAll(); // the next in line may get in too when permits remain
    } finally {
      lock.unlock();
    }
    DistributionDataPoint w = waits;
    if (w != null) {
      w.observe((System.nanoTime() - start) / 1e9);
    }
    if (told >= 0) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      job.narrate("wait_done").durationMs(ms)
          .human("Got {} after waiting {} ms", resource, ms).emit();
    }
    return new Permit(this);
  }

  /** Places said one by one near the front; further back, one message per this many. */
  static final int TELL_EVERY = 10;

  /** True when a job last told {@code told} (-1: never) should hear that it is {@code ahead}. */
  static boolean worthTelling(int told, int ahead) {
    if (told < 0) {
      return true;
    }
    if (ahead >= told) {
      return false;
    }
    return ahead < TELL_EVERY || ahead / TELL_EVERY < told / TELL_EVERY;
  }

  private int position(Object me) {
    int ahead = 0;
    for (Object o : queue) {
      if (o == me) {
        return ahead;
      }
      ahead++;
    }
    return ahead;
  }

  void release() {
    lock.lock();
    try {
      held--;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Holding the resource; {@link #close()} gives it back (once; later calls do nothing). */
  public static final class Permit implements AutoCloseable {
    private Gate gate;

    private Permit(Gate gate) {
      this.gate = gate;
    }

    @Override
    public synchronized void close() {
      if (gate != null) {
        gate.release();
        gate = null;
      }
    }
  }
}
