package io.rbee.bench.relay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting for the benchmark's helper processes to end. */
public final class Processes {
  private Processes() {}

  /**
   * Waits up to {@code limit} for {@code process} to exit, then kills it; an interrupt kills
   * it at once (the interrupt status is kept).
   */
  public static void awaitOrKill(Process process, Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
