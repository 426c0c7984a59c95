package io.rbee.jobs.server;

import java.time.Duration;

/**
 * When a job stream gives up on a follower that does not keep up. A follower is cut (its
 * response ends without {@code done}, the connection closes) when it is more than
 * {@code maxLagEvents} behind the job (counting the events sent since it connected that it has
 * not been sent yet: a late follower replaying history is not behind for that), or when one
 * write to it has been blocked for longer than {@code maxWriteBlocked} (its client stopped
 * reading). A cut follower may resume with {@code Last-Event-ID}; it gets a {@code gap} event
 * if the history no longer holds where it was.
 *
 * <p>Cutting is about the connection and its thread: a slow follower never costs the job or
 * other followers anything, since all read the one shared history.
 */
public record FollowerLimits(int maxLagEvents, Duration maxWriteBlocked) {
  /**
   * 10,000 events, a fifth of what a job's history keeps (50,000), so a cut follower that
   * resumes at once still finds its events; and 30 s, what our clients wait for a byte before
   * they count a stream as broken.
   */
  public static final FollowerLimits DEFAULT = new FollowerLimits(10_000, Duration.ofSeconds(30));

  public FollowerLimits {
    if (maxLagEvents < 1) {
      throw new IllegalArgumentException("maxLagEvents must be >= 1, got " + maxLagEvents);
    }
    if (maxWriteBlocked == null || maxWriteBlocked.isNegative() || maxWriteBlocked.isZero()) {
      throw new IllegalArgumentException("maxWriteBlocked must be > 0, got " + maxWriteBlocked);
    }
  }
}
