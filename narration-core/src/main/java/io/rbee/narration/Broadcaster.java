package io.rbee.narration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
 *   <li>All channels together keep at most {@link HistoryLimits#processBytes()} of history:
 *       past it, finished jobs are forgotten oldest-first, then the largest running jobs lose
 *       their oldest events (see {@link #reclaim()}).
 * </ul>
 */
public final class Broadcaster {
  private static final Logger LOG = LoggerFactory.getLogger("narration");
  private static final Broadcaster GLOBAL = new Broadcaster(HistoryLimits.DEFAULT);

  private final HistoryLimits limits;
  private final ConcurrentHashMap<String, JobChannel> channels = new ConcurrentHashMap<>();
  // the kept finished channels in the order they finished, so that a sweep looks at the
  // oldest only, instead of sorting every channel at every open
  private final ConcurrentLinkedQueue<JobChannel> finishedOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedKept = new AtomicInteger();
  private final ReentrantLock sweeping = new ReentrantLock();
  private final AtomicLong dropped = new AtomicLong();
  private final HistoryBudget budget;

  /** A broadcaster of its own (tests, benchmarks); daemons use {@link #global()}. */
  public Broadcaster(HistoryLimits limits) {
    this.limits = limits;
    this.budget = new HistoryBudget(limits.processBytes(), this::reclaim);
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
    return create(jobId, null);
  }

  /**
   * {@link #open(String)} with a tap: {@code tap} is called with every event of the job
   * (narration, result, token, {@code done}), exactly once, in id order, on the sending
   * thread while it holds the channel's lock, before any follower can read the event. It must
   * not block or throw: hand the event to a queue and return (the queen's job history does).
   * Events evicted later from the bounded history have been tapped already. Null: no tap.
   */
  public JobChannel open(String jobId, Consumer<JobEvent> tap) {
    return create(jobId, tap);
  }

  private JobChannel create(String jobId, Consumer<JobEvent> tap) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId must not be blank");
    }
    sweep();
    JobChannel channel = new JobChannel(jobId, limits, budget, this::finished, tap);
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

  /** Bytes of history all channels keep now, as {@link HistoryLimits} counts them. */
  public long bytesKept() {
    return budget.used();
  }

  /**
   * Forgets finished jobs past the retention time or past the count bound, oldest first. Looks
   * at the oldest finished jobs only (they are queued in the order they finished), so an
   * {@link #open} costs the same with 1,000 finished jobs kept as with none; a sweep already
   * running on another thread makes this one a no-op.
   */
  void sweep() {
    if (!sweeping.tryLock()) {
      return;
    }
    try {
      Instant cutoff = Instant.now().minus(limits.finishedRetention());
      for (JobChannel oldest; (oldest = finishedOrder.peek()) != null; ) {
        if (finishedKept.get() <= limits.maxFinishedJobs()
            && !oldest.finishedAt().isBefore(cutoff)) {
          return;
        }
        forget(oldest, false);
      }
    } finally {
      sweeping.unlock();
    }
  }

  private void finished(JobChannel channel) {
    finishedOrder.add(channel);
    finishedKept.incrementAndGet();
  }

  /**
   * Brings the history of all channels back under 90% of the process budget: first forgets
   * finished jobs, oldest finished first (their memory is freed at once: a follower still
   * replaying one gets a gap, then {@code done}); then, if that is not enough, evicts the
   * oldest events of the largest running jobs, cutting each above a common level down to it
   * (their followers get gaps). Runs on the thread of the send that passed the budget, one at
   * a time (see {@link HistoryBudget}).
   */
  void reclaim() {
    long target = budget.target();
    for (JobChannel c : finishedOldestFirst()) {
      if (budget.used() <= target) {
        return;
      }
      forget(c, true);
    }
    List<JobChannel> running = new ArrayList<>();
    for (JobChannel c : channels.values()) {
      if (!c.finished()) {
        running.add(c);
      }
    }
    long[] sizes = new long[running.size()];
    long runningBytes = 0;
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = running.get(i).bytesKept();
      runningBytes += sizes[i];
    }
    long level = BudgetLevel.of(sizes, target - (budget.used() - runningBytes));
    long freed = 0;
    for (JobChannel c : running) {
      freed += c.trimTo(level);
    }
    LOG.debug("history over its budget of {} bytes: trimmed running jobs to {} bytes each "
        + "({} freed)", budget.max(), level, freed);
  }

  private List<JobChannel> finishedOldestFirst() {
    return new ArrayList<>(finishedOrder);
  }

  private void forget(JobChannel c, boolean dropHistory) {
    if (channels.remove(c.jobId(), c)) {
      c.detach(dropHistory);
    }
    if (finishedOrder.remove(c)) { // the head, but for reclaim's rare forgets
      finishedKept.decrementAndGet();
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
