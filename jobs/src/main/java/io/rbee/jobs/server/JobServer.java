package io.rbee.jobs.server;

import io.javalin.config.JavalinConfig;
import io.rbee.jobs.Daemon;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.metrics.JobMetrics;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.JobChannel;
import io.rbee.narration.Json;
import io.rbee.narration.Narrator;
import io.rbee.narration.Redactor;
import io.rbee.narration.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job API of one daemon process: accepts operations, runs each as a job on a virtual thread
 * of its own, and serves the jobs' event streams. The route table:
 *
 * <pre>
 * POST   /v1/jobs              {"operation": {"Name": {...}}}  → {"job_id", "sse_url"}
 * GET    /v1/jobs              ?status=&amp;operation=&amp;since=&amp;limit= → JobList, newest first
 * GET    /v1/jobs/{id}         → JobInfo
 * GET    /v1/jobs/{id}/stream  → text/event-stream, ends with one event: done
 * DELETE /v1/jobs/{id}         → JobInfo (cancels the job)
 * </pre>
 *
 * <p>The server creates each job's channel on its {@link Options#broadcaster()}; operation code
 * gets a {@link JobContext} and narrates through it. Jobs are not limited by threads: what is
 * scarce (a worker's generation slot, a hive's spawns) is guarded where it is used, by a
 * {@link io.rbee.jobs.limits.Gate} that narrates the wait. The only bound here is
 * {@link Options#maxLiveJobs()} (memory); beyond it submissions are refused (429). With an
 * {@link Options#archive()} (the queen's history) every job is also handed to it, and a job
 * memory forgot is listed, answered and replayed from it. Thread-safe.
 */
public final class JobServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobServer.class);

  /**
   * How a daemon's job server behaves. {@code operations}: the operation names it accepts;
   * {@code keepAlive}: how often a quiet stream gets a comment; {@code abandonAfter}: cancel a
   * job this long after its last follower left (null: never); {@code followerLimits}: when a
   * follower that does not keep up is cut; {@code tokenInterval}: how often a follower of
   * merged tokens is written tokens at most ({@link #DEFAULT_TOKEN_INTERVAL}).
   */
  public record Options(
      String daemon,
      Set<String> operations,
      int maxLiveJobs,
      Duration keepAlive,
      Duration abandonAfter,
      Set<String> abandonOnly,
      Broadcaster broadcaster,
      FollowerLimits followerLimits,
      JobArchive archive,
      Duration tokenInterval) {
    /**
     * Jobs a daemon holds at once (running or waiting for a resource) unless told otherwise:
     * each costs a virtual thread and its event history, so this bounds memory, not speed.
     */
    public static final int DEFAULT_MAX_LIVE_JOBS = 10_000;

    /**
     * The least time between two token writes to a follower that asked for merged tokens
     * ({@code ?merge_tokens=true}): a token that comes sooner after the last one written waits
     * for those that follow, and they go out as one event. A token after a longer pause, any
     * other event and {@code done} go out at once. So a stream carries at most ~1,000 token
     * events a second: a generation faster than that (the demo model makes 7,000+ tokens/s on
     * one core) costs each hop a wake-up and a write per millisecond rather than per token,
     * CPU that would otherwise come out of llama.cpp's share (docs/BENCHMARKS.md, benchmark 2);
     * a real model on a CPU (tens of tokens a second) never waits.
     */
    public static final Duration DEFAULT_TOKEN_INTERVAL = Duration.ofMillis(1);

    public Options {
      if (daemon == null || daemon.isBlank()) {
        throw new IllegalArgumentException("daemon must be a name such as \"hive\"");
      }
      operations = Set.copyOf(operations);
      for (String name : operations) {
        if (!Operation.NAMES.contains(name)) {
          throw new IllegalArgumentException(
              "unknown operation \"" + name + "\"; known: " + Operation.NAMES);
        }
      }
      if (maxLiveJobs < 1) {
        throw new IllegalArgumentException("maxLiveJobs must be >= 1, got " + maxLiveJobs);
      }
      Objects.requireNonNull(keepAlive, "keepAlive");
      if (keepAlive.isNegative() || keepAlive.isZero()
          || keepAlive.compareTo(DaemonHttp.IDLE_TIMEOUT.dividedBy(2)) > 0) {
        throw new IllegalArgumentException(
            "keepAlive must be > 0 and <= " + DaemonHttp.IDLE_TIMEOUT.dividedBy(2)
                + ", got " + keepAlive);
      }
      if (abandonAfter != null && (abandonAfter.isNegative() || abandonAfter.isZero())) {
        throw new IllegalArgumentException("abandonAfter must be > 0, got " + abandonAfter);
      }
      abandonOnly = abandonOnly == null ? Set.of() : Set.copyOf(abandonOnly);
      Objects.requireNonNull(broadcaster, "broadcaster");
      Objects.requireNonNull(followerLimits, "followerLimits");
      archive = archive == null ? JobArchive.NONE : archive;
      Objects.requireNonNull(tokenInterval, "tokenInterval");
      if (tokenInterval.isNegative()) {
        throw new IllegalArgumentException("tokenInterval must be >= 0, got " + tokenInterval);
      }
    }

    /**
     * The options of {@code daemon}: the operations it accepts ({@link Daemon#operations()}),
     * otherwise as {@link #of(String, Set)}.
     */
    public static Options of(Daemon daemon) {
      return of(daemon.id(), new LinkedHashSet<>(daemon.operations()));
    }

    /**
     * {@link #DEFAULT_MAX_LIVE_JOBS}, keep-alive every 5 s, never abandoned, the process's
     * broadcaster, {@link FollowerLimits#DEFAULT}, {@link #DEFAULT_TOKEN_INTERVAL}. Daemons use
     * {@link #of(Daemon)}; this is for stand-in daemons in tests and benchmarks that accept a
     * few operations.
     */
    public static Options of(String daemon, Set<String> operations) {
      return new Options(daemon, operations, DEFAULT_MAX_LIVE_JOBS, Duration.ofSeconds(5), null,
          Set.of(), Broadcaster.global(), FollowerLimits.DEFAULT, JobArchive.NONE,
          DEFAULT_TOKEN_INTERVAL);
    }

    public Options withDaemon(String v) {
      return new Options(v, operations, maxLiveJobs, keepAlive, abandonAfter, abandonOnly,
          broadcaster, followerLimits, archive, tokenInterval);
    }

    public Options withOperations(Set<String> v) {
      return new Options(daemon, v, maxLiveJobs, keepAlive, abandonAfter, abandonOnly,
          broadcaster, followerLimits, archive, tokenInterval);
    }

    /** At most {@code v} jobs live (running or waiting) at once; more are refused with 429. */
    public Options withMaxLiveJobs(int v) {
      return new Options(daemon, operations, v, keepAlive, abandonAfter, abandonOnly,
          broadcaster, followerLimits, archive, tokenInterval);
    }

    public Options withKeepAlive(Duration v) {
      return new Options(daemon, operations, maxLiveJobs, v, abandonAfter, abandonOnly,
          broadcaster, followerLimits, archive, tokenInterval);
    }

    public Options withAbandonAfter(Duration v) {
      return new Options(daemon, operations, maxLiveJobs, keepAlive, v, abandonOnly,
          broadcaster, followerLimits, archive, tokenInterval);
    }

    /** Abandonment applies only to these operations (empty: to every operation). */
    public Options withAbandonOnly(Set<String> v) {
      return new Options(daemon, operations, maxLiveJobs, keepAlive, abandonAfter, v,
          broadcaster, followerLimits, archive, tokenInterval);
    }

    /** True when a job of {@code op} is cancelled once its followers left for good. */
    public boolean abandons(Operation op) {
      return abandonAfter != null && (abandonOnly.isEmpty() || abandonOnly.contains(op.name()));
    }

    public Options withBroadcaster(Broadcaster v) {
      return new Options(daemon, operations, maxLiveJobs, keepAlive, abandonAfter, abandonOnly,
          v, followerLimits, archive, tokenInterval);
    }

    public Options withFollowerLimits(FollowerLimits v) {
      return new Options(daemon, operations, maxLiveJobs, keepAlive, abandonAfter, abandonOnly,
          broadcaster, v, archive, tokenInterval);
    }

    /**
     * Jobs are also kept in {@code v} (the queen's history): listed by {@code GET /v1/jobs}
     * and replayed from it once memory forgot them. Default {@link JobArchive#NONE}.
     */
    public Options withArchive(JobArchive v) {
      return new Options(daemon, operations, maxLiveJobs, keepAlive, abandonAfter, abandonOnly,
          broadcaster, followerLimits, v, tokenInterval);
    }

    /** See {@link #DEFAULT_TOKEN_INTERVAL}; zero writes every token as soon as it comes. */
    public Options withTokenInterval(Duration v) {
      return new Options(daemon, operations, maxLiveJobs, keepAlive, abandonAfter, abandonOnly,
          broadcaster, followerLimits, archive, v);
    }

    /** Narrations dropped on this broadcaster because their job had no channel (any more). */
    public long droppedNarrations() {
      return broadcaster.dropped();
    }

    /** The accepted operations in {@link Operation#NAMES} order (for error messages). */
    public List<String> operationsInOrder() {
      return Operation.NAMES.stream().filter(operations::contains).toList();
    }
  }

  private final Options options;
  private final Narrator narrator;
  private final JobRunner runner;
  // one virtual thread per job: a job that waits (a relay, a spawn, a download) costs no
  // platform thread, so waiting jobs never hold up quick ones
  private final ExecutorService jobThreads;
  // fires abandonment checks only; what they decide runs on a virtual thread of its own
  private final ScheduledExecutorService timers;
  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  // finished jobs in the order they ended: the broadcaster forgets their channels in about
  // that order, so a sweep looks at the oldest only instead of every job at every submit
  private final ConcurrentLinkedQueue<Job> finishedOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger active = new AtomicInteger();
  private final JobRoutes http;
  private final JobMetrics metrics;
  private volatile boolean closed;

  public JobServer(Options options, OperationHandler handler) {
    this.options = Objects.requireNonNull(options, "options");
    this.narrator = Narrator.of(options.daemon(), options.broadcaster());
    this.metrics = JobMetrics.of(options.daemon());
    this.runner = new JobRunner(Objects.requireNonNull(handler, "handler"));
    this.jobThreads = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name(options.daemon() + "-job-", 1).factory());
    this.timers = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name(options.daemon() + "-jobs-timer").daemon().factory());
    this.http = new JobRoutes(this);
  }

  public Options options() {
    return options;
  }

  /** Registers the job routes on a daemon's app (see the class javadoc). */
  public void routes(JavalinConfig cfg) {
    cfg.routes.post("/v1/jobs", http::submit);
    cfg.routes.get("/v1/jobs", http::list);
    cfg.routes.get("/v1/jobs/{id}", http::info);
    cfg.routes.get("/v1/jobs/{id}/stream", http::stream);
    cfg.routes.delete("/v1/jobs/{id}", http::cancel);
  }

  /**
   * Starts a job for {@code op} (what {@code POST /v1/jobs} does). Throws {@link ApiException}:
   * 400 {@code unknown_operation} when this daemon does not run {@code op}, 400
   * {@code invalid_operation} when it does not validate, 429 {@code queue_full}, 503
   * {@code shutting_down}. Nothing is left behind when it throws.
   */
  public Submitted submit(Operation op) {
    Objects.requireNonNull(op, "op");
    if (closed) {
      throw new ApiException(503, "shutting_down", options.daemon() + " is shutting down");
    }
    if (!options.operations().contains(op.name())) {
      throw unknownOperation(op.name());
    }
    try {
      op.validate();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid_operation",
          op.name() + ": " + HttpErrors.oneLine(e));
    }
    reserveSlot();
    String jobId = "job-" + UUID.randomUUID();
    Job job;
    try {
      JobArchive archive = options.archive();
      JobChannel channel = archive.enabled()
          ? options.broadcaster().open(jobId, e -> archive.appended(jobId, e))
          : options.broadcaster().open(jobId);
      Job[] self = {null};
      job = new Job(jobId, op, channel, narrator, () -> {
        active.decrementAndGet();
        finishedOrder.add(self[0]);
      }, metrics, archive);
      self[0] = job;
    } catch (RuntimeException e) {
      active.decrementAndGet();
      throw e;
    }
    forgetExpiredJobs();
    jobs.put(jobId, job);
    if (options.archive().enabled()) {
      options.archive().submitted(job.info(), Redactor.redact(Json.write(op)));
    }
    if (options.abandons(op)) {
      job.channel().onFollowersChanged(new AbandonWatch(job, this, timers, options.abandonAfter()));
    }
    try {
      jobThreads.execute(() -> runner.run(job));
    } catch (RejectedExecutionException e) {
      job.end(JobStatus.FAILED, options.daemon() + " is shutting down");
    }
    LOG.debug("job {} submitted: {}", jobId, op.name());
    return Submitted.of(jobId);
  }

  /**
   * Follows {@code jobId} in-process from its first event, as a follower of
   * {@code GET /v1/jobs/{id}/stream} does (it counts as one: an abandoning job is not
   * abandoned while it is followed); empty when this daemon does not keep the job. Close the
   * subscription when done.
   */
  public Optional<Subscription> follow(String jobId) {
    return job(jobId).map(j -> j.channel().follow(0));
  }

  /**
   * The state of {@code jobId}, while this daemon keeps it in memory, else as its
   * {@link Options#archive()} stored it.
   */
  public Optional<JobInfo> info(String jobId) {
    Optional<JobInfo> live = job(jobId).map(Job::info);
    return live.isPresent() ? live : stored(jobId);
  }

  /** The state of {@code jobId} as the archive stored it (empty: not stored, or no archive). */
  Optional<JobInfo> stored(String jobId) {
    return jobId == null || !options.archive().enabled()
        ? Optional.empty() : options.archive().info(jobId);
  }

  /**
   * The jobs that match {@code filter}, newest first (what {@code GET /v1/jobs} answers): the
   * jobs kept in memory, and those of the archive; a job in both is reported as memory has
   * it (a live job wins over its stored row).
   */
  public JobList list(JobFilter filter) {
    Map<String, JobInfo> byId = new HashMap<>();
    Set<String> inMemory = new HashSet<>();
    for (Job j : jobs.values()) {
      if (!j.isFinal() || kept(j)) {
        JobInfo info = j.info();
        inMemory.add(info.jobId());
        if (filter.matches(info)) {
          byId.put(info.jobId(), info);
        }
      }
    }
    if (options.archive().enabled()) {
      for (JobInfo info : options.archive().list(filter)) {
        if (!inMemory.contains(info.jobId())) { // memory is never older than the archive
          byId.put(info.jobId(), info);
        }
      }
    }
    List<JobInfo> newest = byId.values().stream()
        .sorted(Comparator.comparing((JobInfo i) -> Instant.parse(i.createdAt())).reversed()
            .thenComparing(JobInfo::jobId))
        .limit(filter.limit())
        .toList();
    return new JobList(newest, options.archive().status());
  }

  /**
   * Cancels {@code jobId} (by request): true when this call cancelled a queued or running job;
   * false when the job is unknown, already finished, or already cancelled.
   */
  public boolean cancel(String jobId) {
    return job(jobId).map(j -> cancel(j, "cancelled by request")).orElse(false);
  }

  boolean cancel(Job job, String reason) {
    if (job.isFinal() || job.cancelled()) {
      return false;
    }
    job.narrate("job_cancel").human("Cancelling job: {}", reason).emit();
    return job.cancel(reason);
  }

  /**
   * The job {@code jobId} while it is kept: a finished job whose history the broadcaster
   * forgot (its retention, or the process budget) is gone at once.
   */
  Optional<Job> job(String jobId) {
    Job job = jobId == null ? null : jobs.get(jobId);
    if (job == null || job.isFinal() && !kept(job)) {
      return Optional.empty();
    }
    return Optional.of(job);
  }

  private boolean kept(Job job) {
    return options.broadcaster().find(job.jobId()).orElse(null) == job.channel();
  }

  JobMetrics metrics() {
    return metrics;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  ApiException unknownOperation(String name) {
    String message = Operation.NAMES.contains(name)
        ? "operation \"" + name + "\" is not run by " + options.daemon()
        : "unknown operation \"" + name + "\"";
    return new ApiException(400, "unknown_operation", message, options.operationsInOrder());
  }

  /**
   * Stops taking jobs, cancels queued and running ones, and stops the threads; every job ends
   * with {@code done} (cancelled), even one whose operation ignores the cancel.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    jobs.values().forEach(j -> cancel(j, options.daemon() + " is shutting down"));
    jobThreads.shutdown();
    try {
      if (!jobThreads.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{}: jobs still running 5 s after cancel; interrupting", options.daemon());
        jobThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      jobThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    jobs.values().forEach(j -> j.end(JobStatus.CANCELLED, options.daemon() + " shut down"));
    timers.shutdownNow();
  }

  private void reserveSlot() {
    if (active.incrementAndGet() > options.maxLiveJobs()) {
      active.decrementAndGet();
      throw new ApiException(429, "queue_full",
          options.daemon() + " is full: " + options.maxLiveJobs()
              + " jobs running or waiting, the most it holds; retry later");
    }
  }

  /** Jobs this server holds in memory now: live ones, and finished ones not yet forgotten. */
  int jobsInMemory() {
    return jobs.size();
  }

  /** Jobs running or waiting now (what {@link Options#maxLiveJobs()} bounds). */
  public int liveJobs() {
    return active.get();
  }

  /**
   * Drops finished jobs whose channel the broadcaster no longer keeps (its history bound),
   * oldest finished first, up to the first one still kept: a submit costs the same with 1,000
   * finished jobs kept as with none (sweeping them all was most of a submit's CPU). One that
   * ended out of order behind a kept one waits for the next sweep past it; {@link #job} and
   * {@link #list} never show it meanwhile.
   */
  private void forgetExpiredJobs() {
    for (Job oldest; (oldest = finishedOrder.peek()) != null && !kept(oldest); ) {
      if (finishedOrder.remove(oldest)) {
        jobs.remove(oldest.jobId(), oldest);
      }
    }
  }
}
