package io.rbee.jobs.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Cancels job-stream calls that waited too long without a byte, with one timer thread for the
 * whole process however many streams are open. It replaces OkHttp's per-read timeout for
 * streams: that arms a watchdog on every read, so every relayed event on every hop woke a
 * thread, while this costs a timestamp per read and one sweep over the open streams per tick
 * (only while any is open).
 *
 * <p>Only time spent <em>waiting</em> for bytes counts ({@link Deadline#waiting()} to
 * {@link Deadline#idle()}): a follower whose own consumer is slow is not judged by the server's
 * silence. A deadline fires at most once, between {@code limit} and {@code limit + TICK} of
 * silence, by calling {@link Call#cancel()} from the timer thread; the blocked reader then fails
 * and can tell by {@link Deadline#expired()} that silence was the cause. Thread-safe.
 */
final class SilenceWatch {
  /** How often open deadlines are checked: the precision of a silence limit. */
  static final Duration TICK = Duration.ofMillis(100);

  static final SilenceWatch SHARED = new SilenceWatch();

  private final Set<Deadline> open = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor timer;
  private ScheduledFuture<?> ticking; // guarded by this; null while nothing is watched

  private SilenceWatch() {
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rbee-stream-silence-watch");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(10, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true); // a CLI that stopped streaming keeps no thread
  }

  /** Starts watching {@code call}: it is cancelled after {@code limit} spent waiting in vain. */
  Deadline watch(Call call, Duration limit) {
    Deadline d = new Deadline(call, limit);
    open.add(d);
    synchronized (this) {
      if (ticking == null) {
        long period = TICK.toNanos();
        ticking = timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
      }
    }
    return d;
  }

  /** How many calls are watched now (for tests). */
  int watched() {
    return open.size();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Deadline d : open) {
      try {
        d.check(now);
      } catch (RuntimeException e) {
        // a periodic task that throws is never run again: one bad cancel must not stop all
        d.close();
      }
    }
    if (open.isEmpty()) {
      synchronized (this) {
        // a watch() that adds after this check starts the ticking again (it locks after adding)
        if (open.isEmpty() && ticking != null) {
          ticking.cancel(false);
          ticking = null;
        }
      }
    }
  }

  /** The silence limit of one call; {@link #close()} ends the watch. */
  final class Deadline implements AutoCloseable {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final Call call;
    private volatile Duration limit;
    private volatile long limitNanos;
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean expired;

    private Deadline(Call call, Duration limit) {
      this.call = call;
      limit(limit);
    }

    /** Changes the limit from now on (a resume attempt waits less for its answer). */
    void limit(Duration limit) {
      this.limit = limit;
      this.limitNanos = limit.toNanos();
    }

    /** The reader starts waiting for bytes. */
    void waiting() {
      waitingSince = System.nanoTime();
    }

    /** The reader got bytes (or stopped reading): the silence so far does not count. */
    void idle() {
      waitingSince = NOT_WAITING;
    }

    /** True once the call was cancelled for silence. */
    boolean expired() {
      return expired;
    }

    Duration limit() {
      return limit;
    }

    /** {@code in}, marking each read as a wait. */
    InputStream watching(InputStream in) {
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          waiting();
          try {
            return super.read();
          } finally {
            idle();
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          waiting();
          try {
            return super.read(b, off, len);
          } finally {
            idle();
          }
        }
      };
    }

    private void check(long now) {
      long since = waitingSince;
      if (since != NOT_WAITING && now - since > limitNanos && !expired) {
        expired = true;
        call.cancel();
      }
    }

    @Override
    public void close() {
      open.remove(this);
    }
  }
}
