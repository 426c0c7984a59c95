package io.rbee.narration;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide router of job events, keyed by job id: one instance per process
 * ({@link #global()}), shared by every thread and, in integrated mode, by queen and hive code.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #open} creates a job's channel; only the code that creates the job calls it, once
 *       per job id.
 *   <li>{@link #narrate} delivers a narration to its job's channel. A narration whose job has no
 *       channel here is dropped and counted ({@link #dropped()}), never delivered to another
 *       job. A narration without a job id goes to the process log only.
 *   <li>Every narration is also written to the process log (logger {@code narration}).
 *   <li>Finished channels are kept per {@link HistoryLimits} for late followers, then forgotten.
 * </ul>
 */
public final class Broadcaster {
  private static final Logger LOG = LoggerFactory.getLogger("narration");
  private static final Broadcaster GLOBAL = new Broadcaster(HistoryLimits.DEFAULT);

  private final HistoryLimits limits;
  private final ConcurrentHashMap<String, JobChannel> channels = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  /** A broadcaster of its own (tests, benchmarks); daemons use {@link #global()}. */
  public Broadcaster(HistoryLimits limits) {
    this.limits = limits;
  }

  /** The one broadcaster of this process. */
  public static Broadcaster global() {
    return GLOBAL;
  }

  public HistoryLimits limits() {
    return limits;
  }

  /**
   * Creates the channel of a new job. Throws {@link IllegalStateException} when the id is
   * already in use: job ids are unique per process.
   */
  public JobChannel open(String jobId) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId must not be blank");
    }
    sweep();
    JobChannel channel = new JobChannel(jobId, limits);
    if (channels.putIfAbsent(jobId, channel) != null) {
      throw new IllegalStateException("job channel already exists: " + jobId);
    }
    return channel;
  }

  /** The channel of {@code jobId}, while it is kept. */
  public Optional<JobChannel> find(String jobId) {
    return jobId == null ? Optional.empty() : Optional.ofNullable(channels.get(jobId));
  }

  /** Routes one narration; never throws, never blocks on a follower. */
  public void narrate(Narration n) {
    log(n);
    if (n.jobId() == null) {
      return;
    }
    JobChannel channel = channels.get(n.jobId());
    if (channel == null || channel.send(JobEvent.NARRATION, Json.write(n)) < 0) {
      long count = dropped.incrementAndGet();
      LOG.debug("dropped narration for job {} without an open channel ({} dropped so far)",
          n.jobId(), count);
    }
  }

  /** How many narrations were dropped because their job had no open channel here. */
  public long dropped() {
    return dropped.get();
  }

  /** How many job channels are kept now (running and finished). */
  public int size() {
    return channels.size();
  }

  /** Forgets finished jobs past the retention time or past the count bound, oldest first. */
  void sweep() {
    Instant cutoff = Instant.now().minus(limits.finishedRetention());
    channels.values().removeIf(c -> {
      Instant at = c.finishedAt();
      return at != null && at.isBefore(cutoff);
    });
    List<JobChannel> finished =
        channels.values().stream().filter(JobChannel::finished).toList();
    int excess = finished.size() - limits.maxFinishedJobs();
    if (excess > 0) {
      finished.stream()
          .sorted(Comparator.comparing(JobChannel::finishedAt))
          .limit(excess)
          .forEach(c -> channels.remove(c.jobId(), c));
    }
  }

  private static void log(Narration n) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String job = n.jobId() == null ? "-" : n.jobId();
    switch (n.level() == null ? Level.INFO : n.level()) {
      case ERROR -> LOG.error("[{}] {} {}: {}", job, n.actor(), n.action(), n.human());
      case WARN -> LOG.warn("[{}] {} {}: {}", job, n.actor(), n.action(), n.human());
      case DEBUG -> LOG.debug("[{}] {} {}: {}", job, n.actor(), n.action(), n.human());
      default -> LOG.info("[{}] {} {}: {}", job, n.actor(), n.action(), n.human());
    }
  }
}
