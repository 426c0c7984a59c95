package io.rbee.narration;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends followers' timed waits ({@link JobChannel#readAfter}: a keep-alive interval) without a
 * timer per wait: one platform thread per process wakes the waiters of each channel whose
 * earliest deadline has passed, at most {@link #TICK} late. It sleeps until the earliest
 * deadline of all (never less than a tick), so it runs about once per keep-alive interval,
 * not once per event.
 *
 * <p>Why not a timed {@code await}: on a virtual thread that arms a timer of the JDK's
 * scheduler and disarms it when an event ends the wait first, which wakes the scheduler's
 * timer thread both times: 8% of a queen's CPU while it relays chats, and once per follower
 * per event when thousands follow one job. Here a wait whose channel is already armed for an
 * earlier deadline (a follower's previous wait, or another follower's) costs a comparison.
 *
 * <p>A channel is in {@link #ARMED} exactly while it holds an armed deadline: both change
 * under the channel's lock ({@link #arm}, {@link #disarm}).
 */
final class WaitTicker {
  private static final Logger LOG = LoggerFactory.getLogger(WaitTicker.class);

  /** How late a timed wait may end: the grain of the ticker's sleeps. */
  static final Duration TICK = Duration.ofMillis(50);

  private static final long TICK_NANOS = TICK.toNanos();
  // "not before the next scan": what arm() compares with while a scan runs, so that a channel
  // armed during one (which the scan may have missed) wakes the ticker for another
  private static final long FAR_NANOS = Duration.ofDays(1).toNanos();
  private static final Set<JobChannel> ARMED = ConcurrentHashMap.newKeySet();
  private static final Thread THREAD = Thread.ofPlatform().name("rbee-wait-ticker").daemon()
      .unstarted(WaitTicker::run);
  // System.nanoTime() at which the ticker means to scan next
  private static volatile long plannedScan = System.nanoTime() + FAR_NANOS;

  static {
    THREAD.start();
  }

  private WaitTicker() {}

  /** {@code channel} (whose lock the caller holds) wants its waiters woken at {@code deadline}. */
  static void arm(JobChannel channel, long deadline) {
    ARMED.add(channel);
    if (deadline - plannedScan < 0) {
      LockSupport.unpark(THREAD);
    }
  }

  /** {@code channel} (whose lock the caller holds) no longer wants a wake-up. */
  static void disarm(JobChannel channel) {
    ARMED.remove(channel);
  }

  /** Whether {@code channel} holds an armed deadline (tests). */
  static boolean isArmed(JobChannel channel) {
    return ARMED.contains(channel);
  }

  private static void run() {
    while (true) {
      plannedScan = System.nanoTime() + FAR_NANOS;
      long now = System.nanoTime();
      long earliest = now + FAR_NANOS;
      for (JobChannel c : ARMED) {
        Long next;
        try {
          next = c.wakeWaitersIfDue(now);
        } catch (Throwable t) { // this thread must not die: every timed wait would hang
          LOG.error("could not wake the waiters of job {}", c.jobId(), t);
          next = now + TICK_NANOS; // look again
        }
        if (next != null && next - earliest < 0) {
          earliest = next;
        }
      }
      long scanAt = earliest - (now + TICK_NANOS) < 0 ? now + TICK_NANOS : earliest;
      plannedScan = scanAt;
      LockSupport.parkNanos(scanAt - System.nanoTime()); // arm() unparks it for an earlier one
    }
  }
}
