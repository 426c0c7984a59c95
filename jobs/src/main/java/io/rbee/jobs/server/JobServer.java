package io.rbee.jobs.server;

import io.javalin.config.JavalinConfig;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.JobChannel;
import io.rbee.narration.Narrator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job API of one daemon process: accepts operations, runs each as a job on a bounded pool,
 * and serves the jobs' event streams. The route table:
 *
 * <pre>
 * POST   /v1/jobs              {"operation": {"Name": {...}}}  → {"job_id", "sse_url"}
 * GET    /v1/jobs/{id}         → JobInfo
 * GET    /v1/jobs/{id}/stream  → text/event-stream, ends with one event: done
 * DELETE /v1/jobs/{id}         → JobInfo (cancels the job)
 * </pre>
 *
 * <p>The server creates each job's channel on its {@link Options#broadcaster()}; operation code
 * gets a {@link JobContext} and narrates with its job id. At most {@code threads} jobs run at
 * once and {@code queueCapacity} more wait; beyond that submissions are refused (429).
 * Thread-safe.
 */
public final class JobServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobServer.class);

  /**
   * How a daemon's job server behaves. {@code operations}: the operation names it accepts;
   * {@code keepAlive}: how often a quiet stream gets a comment; {@code abandonAfter}: cancel a
   * job this long after its last follower left (null: never).
   */
  public record Options(
      String daemon,
      Set<String> operations,
      int threads,
      int queueCapacity,
      Duration keepAlive,
      Duration abandonAfter,
      Set<String> abandonOnly,
      Broadcaster broadcaster) {
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
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      if (queueCapacity < 0) {
        throw new IllegalArgumentException("queueCapacity must be >= 0, got " + queueCapacity);
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
    }

    /** 16 threads, 256 queued, keep-alive every 5 s, never abandoned, the global broadcaster. */
    public static Options of(String daemon, Set<String> operations) {
      return new Options(daemon, operations, 16, 256, Duration.ofSeconds(5), null, Set.of(),
          Broadcaster.global());
    }

    public Options withDaemon(String v) {
      return new Options(v, operations, threads, queueCapacity, keepAlive, abandonAfter,
          abandonOnly, broadcaster);
    }

    public Options withOperations(Set<String> v) {
      return new Options(daemon, v, threads, queueCapacity, keepAlive, abandonAfter,
          abandonOnly, broadcaster);
    }

    public Options withThreads(int v) {
      return new Options(daemon, operations, v, queueCapacity, keepAlive, abandonAfter,
          abandonOnly, broadcaster);
    }

    public Options withQueueCapacity(int v) {
      return new Options(daemon, operations, threads, v, keepAlive, abandonAfter, abandonOnly,
          broadcaster);
    }

    public Options withKeepAlive(Duration v) {
      return new Options(daemon, operations, threads, queueCapacity, v, abandonAfter,
          abandonOnly, broadcaster);
    }

    public Options withAbandonAfter(Duration v) {
      return new Options(daemon, operations, threads, queueCapacity, keepAlive, v, abandonOnly,
          broadcaster);
    }

    /** Abandonment applies only to these operations (empty: to every operation). */
    public Options withAbandonOnly(Set<String> v) {
      return new Options(daemon, operations, threads, queueCapacity, keepAlive, abandonAfter, v,
          broadcaster);
    }

    /** True when a job of {@code op} is cancelled once its followers left for good. */
    public boolean abandons(Operation op) {
      return abandonAfter != null && (abandonOnly.isEmpty() || abandonOnly.contains(op.name()));
    }

    public Options withBroadcaster(Broadcaster v) {
      return new Options(daemon, operations, threads, queueCapacity, keepAlive, abandonAfter,
          abandonOnly, v);
    }

    /** The accepted operations in {@link Operation#NAMES} order (for error messages). */
    public List<String> operationsInOrder() {
      return Operation.NAMES.stream().filter(operations::contains).toList();
    }
  }

  private final Options options;
  private final Narrator narrator;
  private final JobRunner runner;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timers;
  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final JobRoutes http;
  private volatile boolean closed;

  public JobServer(Options options, OperationHandler handler) {
    this.options = Objects.requireNonNull(options, "options");
    this.narrator = Narrator.of(options.daemon(), options.broadcaster());
    this.runner = new JobRunner(Objects.requireNonNull(handler, "handler"), narrator);
    // the queue is unbounded here: admission is counted in submit(), so a cancelled queued job
    // frees its place at once instead of when a thread reaches it
    this.pool = new ThreadPoolExecutor(options.threads(), options.threads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads(options.daemon() + "-job"));
    this.pool.allowCoreThreadTimeOut(true);
    this.timers = Executors.newSingleThreadScheduledExecutor(threads(options.daemon() + "-jobs-timer"));
    this.http = new JobRoutes(this);
  }

  public Options options() {
    return options;
  }

  /** Registers the four job routes on a daemon's app (see the class javadoc). */
  public void routes(JavalinConfig cfg) {
    cfg.routes.post("/v1/jobs", http::submit);
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
      JobChannel channel = options.broadcaster().open(jobId);
      job = new Job(jobId, op, channel, active::decrementAndGet);
    } catch (RuntimeException e) {
      active.decrementAndGet();
      throw e;
    }
    forgetExpiredJobs();
    jobs.put(jobId, job);
    if (options.abandons(op)) {
      job.channel().onFollowersChanged(new AbandonWatch(job, this, timers, options.abandonAfter()));
    }
    try {
      pool.execute(() -> runner.run(job));
    } catch (RejectedExecutionException e) {
      job.end(JobStatus.FAILED, options.daemon() + " is shutting down");
    }
    LOG.debug("job {} submitted: {}", jobId, op.name());
    return new Submitted(jobId, "/v1/jobs/" + jobId + "/stream");
  }

  /** The state of {@code jobId}, while this daemon keeps it. */
  public Optional<JobInfo> info(String jobId) {
    return job(jobId).map(Job::info);
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
    narrator.action("job_cancel").jobId(job.jobId()).human("Cancelling job: {}", reason).emit();
    return job.cancel(reason);
  }

  Optional<Job> job(String jobId) {
    return jobId == null ? Optional.empty() : Optional.ofNullable(jobs.get(jobId));
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
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{}: jobs still running 5 s after cancel; interrupting", options.daemon());
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    jobs.values().forEach(j -> j.end(JobStatus.CANCELLED, options.daemon() + " shut down"));
    timers.shutdownNow();
  }

  private void reserveSlot() {
    int limit = options.threads() + options.queueCapacity();
    if (active.incrementAndGet() > limit) {
      active.decrementAndGet();
      throw new ApiException(429, "queue_full",
          options.daemon() + " is busy: " + options.threads() + " jobs running and "
              + options.queueCapacity() + " queued, the most it takes; retry later");
    }
  }

  /** Drops finished jobs whose channel the broadcaster no longer keeps (its history bound). */
  private void forgetExpiredJobs() {
    Broadcaster b = options.broadcaster();
    jobs.values().removeIf(j -> j.isFinal() && b.find(j.jobId()).orElse(null) != j.channel());
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
