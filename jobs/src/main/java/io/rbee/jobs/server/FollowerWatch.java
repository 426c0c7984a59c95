package io.rbee.jobs.server;

import io.rbee.jobs.metrics.JobMetrics;
import io.rbee.narration.Subscription;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the followers that break {@link FollowerLimits} and cuts them. One periodic scan for
 * all followers of a daemon, on the job server's timer thread: a follower costs its stream a
 * volatile write per event, not a timer or a wake-up.
 *
 * <p>A follower stuck in a write cannot check anything itself (its thread is blocked in the
 * socket), so the cut comes from outside: the stream's connection is closed, which fails the
 * blocked write and ends the stream.
 */
final class FollowerWatch {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerWatch.class);

  private final FollowerLimits limits;
  private final JobMetrics metrics;
  private final Set<Watched> followers = ConcurrentHashMap.newKeySet();

  FollowerWatch(FollowerLimits limits, ScheduledExecutorService timers, JobMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    long periodMs = period(limits.maxWriteBlocked()).toMillis();
    timers.scheduleWithFixedDelay(this::scan, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** A quarter of the write limit, between 50 ms and 1 s: cuts come at most that late. */
  static Duration period(Duration maxWriteBlocked) {
    long ms = Math.clamp(maxWriteBlocked.toMillis() / 4, 50, 1_000);
    return Duration.ofMillis(ms);
  }

  /**
   * Watches {@code sub} until the returned handle is closed; {@code cut} ends its stream (called
   * at most once, on the timer thread; must not block).
   */
  Watched watch(Subscription sub, Runnable cut) {
    Watched w = new Watched(sub, cut);
    followers.add(w);
    return w;
  }

  /** How many streams are watched now. */
  int size() {
    return followers.size();
  }

  void scan() {
    long now = System.nanoTime();
    long maxBlockedNanos = limits.maxWriteBlocked().toNanos();
    for (Watched w : followers) {
      try {
        long since = w.writingSince;
        long lag = w.sub.lag();
        if (lag > limits.maxLagEvents()) {
          w.cut("it is " + lag + " events behind the job, more than the "
              + limits.maxLagEvents() + " allowed");
        } else if (since != 0 && now - since > maxBlockedNanos) {
          w.cut("a write to it has been blocked for more than "
              + limits.maxWriteBlocked().toMillis() + " ms");
        }
      } catch (RuntimeException e) {
        LOG.warn("checking a follower of job {} failed: {}", w.sub.jobId(), e.toString());
      }
    }
  }

  /**
   * One watched stream. Its thread calls {@link #writing()} before each write and
   * {@link #idle()} once it waits for events again.
   */
  final class Watched implements AutoCloseable {
    private final Subscription sub;
    private final Runnable cut;
    private final AtomicBoolean cutDone = new AtomicBoolean();
    // 0 while the stream waits for events; else when the write under way began
    private volatile long writingSince;

    private Watched(Subscription sub, Runnable cut) {
      this.sub = sub;
      this.cut = cut;
    }

    void writing() {
      writingSince = System.nanoTime();
    }

    void idle() {
      writingSince = 0;
    }

    /** True once this stream was cut: its end is not the follower's doing. */
    boolean wasCut() {
      return cutDone.get();
    }

    private void cut(String why) {
      if (cutDone.compareAndSet(false, true)) {
        LOG.info("cutting a follower of job {} at event {}: {}; it may resume with "
            + "Last-Event-ID", sub.jobId(), sub.cursor(), why);
        metrics.followerCut();
        cut.run();
      }
    }

    @Override
    public void close() {
      followers.remove(this);
    }
  }
}
