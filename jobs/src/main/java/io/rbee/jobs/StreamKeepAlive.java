package io.rbee.jobs;

import java.time.Duration;

/**
 * How a follower of a job stream and the daemon serving it agree on liveness. The follower asks
 * for a keep-alive interval ({@code GET /v1/jobs/{id}/stream?keepalive_ms=N}, within
 * {@link #MIN}..{@link #MAX}); the daemon writes a {@code : keep-alive} comment whenever the
 * stream has been quiet that long; the follower judges the stream dead once it has waited
 * {@link #DEAD_AFTER_INTERVALS} intervals without a byte, and resumes it elsewhere or fails.
 * Silence, not a per-read socket timeout, is what tells a stopped peer from a quiet job.
 */
public final class StreamKeepAlive {
  /** The query parameter of the stream route. */
  public static final String PARAM = "keepalive_ms";
  /** The fastest keep-alive a follower may ask for: a follower cannot make a daemon spin. */
  public static final Duration MIN = Duration.ofMillis(100);
  /** The slowest: half the daemons' idle-connection timeout (2 min), so streams never idle. */
  public static final Duration MAX = Duration.ofSeconds(60);
  /** Intervals without a byte after which a follower counts the stream as dead. */
  public static final int DEAD_AFTER_INTERVALS = 3;

  private StreamKeepAlive() {}

  /** {@code interval} if it is within bounds; else an exception naming the bad value. */
  public static Duration check(Duration interval) {
    if (interval == null || interval.compareTo(MIN) < 0 || interval.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(PARAM + " must be " + MIN.toMillis() + ".."
          + MAX.toMillis() + " ms, got " + (interval == null ? null : interval.toMillis()));
    }
    return interval;
  }

  /** How long a follower waits without a byte before it counts the stream as dead. */
  public static Duration deadAfter(Duration interval) {
    // not Duration.multipliedBy: it goes through BigDecimal, whose first use costs a CLI ~8 ms
    return Duration.ofNanos(Math.multiplyExact(interval.toNanos(), DEAD_AFTER_INTERVALS));
  }
}
