package io.rbee.jobs.server;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Cancels a job once its followers all left and none came back within a grace period, so work
 * nobody watches (a generation whose client went away) stops. Only a job that had a follower
 * can be abandoned: the listener first hears of followers when one attaches.
 */
final class AbandonWatch implements IntConsumer {
  private final Job job;
  private final JobServer server;
  private final ScheduledExecutorService timers;
  private final Duration grace;
  // each follower change starts a new generation; a timer acts only if none came after it
  private final AtomicLong generation = new AtomicLong();

  AbandonWatch(Job job, JobServer server, ScheduledExecutorService timers, Duration grace) {
    this.job = job;
    this.server = server;
    this.timers = timers;
    this.grace = grace;
  }

  /** Called on a follower's thread with the new follower count; does not block. */
  @Override
  public void accept(int followers) {
    long g = generation.incrementAndGet();
    if (followers > 0 || job.isFinal()) {
      return;
    }
    try {
      // the shared timer thread only decides; the cancel runs on a virtual thread of its own
      timers.schedule(() -> {
        if (generation.get() == g && job.channel().followers() == 0) {
          Thread.ofVirtual().name("job-abandon").start(() ->
              server.cancel(job, "abandoned: no follower for " + grace.toMillis() + " ms"));
        }
      }, grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the server is closing and cancels every job itself
    }
  }
}
