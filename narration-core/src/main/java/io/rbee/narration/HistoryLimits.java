package io.rbee.narration;

import java.time.Duration;

/**
 * How much a process keeps of its jobs' events.
 *
 * <p>Per job: at most {@code maxEvents} events and {@code maxBytes} bytes of event data. When
 * either bound is passed, the oldest events are evicted first (the final {@code done} event is
 * never evicted, since it is always the newest). A follower that asks for evicted events is
 * told how many it missed and continues from the oldest event still kept.
 *
 * <p>Per process: a finished job's events are kept for {@code finishedRetention} so late
 * followers can replay them, and at most {@code maxFinishedJobs} finished jobs are kept (the
 * oldest finished go first).
 */
public record HistoryLimits(
    int maxEvents, long maxBytes, Duration finishedRetention, int maxFinishedJobs) {

  /** 50,000 events or 16 MiB per job; finished jobs kept 30 minutes, at most 1,000 of them. */
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
  }
}
