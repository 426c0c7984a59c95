package io.rbee.narration;

import java.time.Duration;

/**
 * How much a process keeps of its jobs' events.
 *
 * <p>Per job: at most {@code maxEvents} events and {@code maxBytes} bytes of history (as
 * {@link JobEvent#cost()} counts them: about twice the event's data). When either bound is
 * passed, the oldest events are evicted first (the final {@code done} event is never evicted,
 * since it is always the newest). A follower that asks for evicted events is told how many it
 * missed ({@link Gap}) and continues from the oldest event still kept.
 *
 * <p>Per process: a finished job's events are kept for {@code finishedRetention} so late
 * followers can replay them, and at most {@code maxFinishedJobs} finished jobs are kept (the
 * oldest finished go first). All jobs of one {@link Broadcaster} together keep at most
 * {@code processBytes}: past it, finished jobs are forgotten oldest-first, then the oldest
 * events of the largest running jobs are evicted, until the history is back under 90% of it.
 */
public record HistoryLimits(
    int maxEvents,
    long maxBytes,
    Duration finishedRetention,
    int maxFinishedJobs,
    long processBytes) {

  /** The most {@link #defaultProcessBytes()} gives, however large the heap. */
  public static final long MAX_DEFAULT_PROCESS_BYTES = 4L << 30;

  /**
   * 50,000 events or 16 MiB per job; finished jobs kept 30 minutes, at most 1,000 of them;
   * a quarter of the heap for all of them ({@link #defaultProcessBytes()}).
   */
  public static final HistoryLimits DEFAULT =
      new HistoryLimits(50_000, 16L << 20, Duration.ofMinutes(30), 1_000);

  public HistoryLimits {
    if (maxEvents < 2) {
      throw new IllegalArgumentException("maxEvents must be >= 2, got " + maxEvents);
    }
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be >= 1024, got " + maxBytes);
    }
    if (finishedRetention == null || finishedRetention.isNegative()) {
      throw new IllegalArgumentException(
          "finishedRetention must be zero or more, got " + finishedRetention);
    }
    if (maxFinishedJobs < 1) {
      throw new IllegalArgumentException("maxFinishedJobs must be >= 1, got " + maxFinishedJobs);
    }
    if (processBytes < 1024) {
      throw new IllegalArgumentException("processBytes must be >= 1024, got " + processBytes);
    }
  }

  /** Per-job and finished-job bounds, with the {@link #defaultProcessBytes() default budget}. */
  public HistoryLimits(
      int maxEvents, long maxBytes, Duration finishedRetention, int maxFinishedJobs) {
    this(maxEvents, maxBytes, finishedRetention, maxFinishedJobs, defaultProcessBytes());
  }

  /** These limits with a process budget of {@code bytes}. */
  public HistoryLimits withProcessBytes(long bytes) {
    return new HistoryLimits(maxEvents, maxBytes, finishedRetention, maxFinishedJobs, bytes);
  }

  /**
   * A quarter of the heap this JVM may grow to ({@code -Xmx}), at most
   * {@link #MAX_DEFAULT_PROCESS_BYTES} (4 GiB): history is the largest thing a daemon keeps,
   * and the rest of the heap is for the jobs themselves and the followers' buffers. A hive
   * ({@code -Xmx512m}) keeps 128 MiB.
   */
  public static long defaultProcessBytes() {
    long max = Runtime.getRuntime().maxMemory();
    long quarter = max == Long.MAX_VALUE ? MAX_DEFAULT_PROCESS_BYTES : max / 4;
    return Math.max(1024, Math.min(quarter, MAX_DEFAULT_PROCESS_BYTES));
  }
}
