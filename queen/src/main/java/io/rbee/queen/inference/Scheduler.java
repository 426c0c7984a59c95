package io.rbee.queen.inference;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.limits.WorkerSlots;
import io.rbee.jobs.metrics.LiveGauge;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LiveHives;
import io.rbee.queen.relay.Relay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs worker operations ({@code Infer}, {@code Embed}): places each on a worker from what the live registry says (the hives'
 * heartbeats; no request to any hive), then streams the worker's tokens into the queen's job.
 * The worker's {@code done} stats become the job's stats. Every decision is narrated with its
 * reason.
 *
 * <p>Placement, for the model (on the named hive, or on any fresh hive):
 * <ol>
 *   <li>a ready worker with a free generation slot, least busy first (this queen's own count
 *       of its jobs there, then the worker's reported queue);
 *   <li>when every such worker is busy, the job waits in the model's queue at the queen
 *       ({@link Gate}: its place narrated), at most {@code queueLimit} deep (then
 *       {@code queue_full}); the job at its front takes the first slot that frees;
 *   <li>with no worker, the job at the front spawns one ({@link SpawnPlan}: a fresh hive that
 *       has the model, a GPU with enough free memory before the CPU), so one spawn per model
 *       runs at a time and the jobs behind it use that worker;
 *   <li>with no hive holding the model, it fails {@code model_not_found} naming the hives that
 *       could download it.
 * </ol>
 * A stale hive gets no work, and a job relayed from a worker of a hive that goes stale fails
 * at once with {@code hive_stale} naming it. Thread-safe; a waiting job holds no platform
 * thread.
 */
public final class Scheduler {
  /** Infer jobs that may wait at the queen for a worker of one model, unless told. */
  public static final int DEFAULT_QUEUE_LIMIT = 1000;

  /** Placements tried for one job when the chosen worker does not answer. */
  private static final int PLACE_ATTEMPTS = 3;

  /** How often a waiting job looks again even when nothing told it to. */
  private static final Duration RECHECK = Duration.ofMillis(500);

  private final HiveRegistry hives;
  private final LiveHives live;
  private final int queueLimit;
  private final WorkerLoads loads = new WorkerLoads();
  private final WorkerRates rates = new WorkerRates();
  // a queue lives while a job uses it: model names come from requests, so queues kept for
  // every name ever asked for would grow (and grow /metrics) without bound
  private final Map<Queue, Line> queues = new ConcurrentHashMap<>();

  /** A queue of jobs for a worker of {@code model} (on {@code hiveId}; null: any hive). */
  private record Queue(String model, String hiveId) {}

  /** A queue's gate and how many jobs use it (changed only inside the map's compute). */
  private static final class Line {
    final Gate gate;
    int jobs;

    Line(Gate gate) {
      this.gate = gate;
    }
  }

  /** {@code queueLimit}: jobs that may wait for a worker of one model (1..1,000,000). */
  public Scheduler(HiveRegistry hives, int queueLimit) {
    this.hives = hives;
    this.live = hives.live();
    this.queueLimit = queueLimit;
    live.onChange(loads::changed);
  }

  /** Places {@code op} on a worker with its model and relays the worker's job into {@code job}. */
  public void run(Operation.OnWorker op, JobContext job) throws Exception {
    Queue key = new Queue(op.model(), op.hiveId());
    Gate queue = join(key);
    try {
      runQueued(op, job, queue);
    } finally {
      queues.computeIfPresent(key, (k, line) -> --line.jobs == 0 ? null : line);
    }
  }

  /** The gate of {@code key}'s queue, made when no job uses one; counts this job in it. */
  private Gate join(Queue key) {
    String where = key.hiveId() == null ? "" : " on hive " + key.hiveId();
    return queues.compute(key, (k, line) -> {
      Line l = line != null ? line : new Line(new Gate("a free slot at a worker with model "
          + k.model() + where, 1, queueLimit).timed(Daemon.QUEEN.id(), "infer"));
      l.jobs++;
      return l;
    }).gate;
  }

  private void runQueued(Operation.OnWorker op, JobContext job, Gate queue) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Placement placement;
      Gate.Permit front = queue.enter(job);
      try {
        placement = place(op, job);
      } finally {
        front.close(); // the next in line becomes the front
      }
      WorkerInfo worker = placement.worker();
      String hiveId = placement.hiveId();
      try (LiveHives.Watch watch = live.watch(hiveId)) {
        job.narrate("infer_route").hiveId(hiveId).workerId(worker.workerId()).model(op.model())
            .human("Sending the prompt to worker {} on hive {} ({})", worker.workerId(), hiveId,
                worker.url())
            .emit();
        Map<String, Object> stats = Relay.statsOf(relay(op, job, worker, hiveId, watch));
        rates.note(hiveId, worker.workerId(), stats);
        job.stats(stats);
        return;
      } catch (NotAnswered e) {
        // a worker that did not answer (or is shutting down: an idle one being unloaded) got
        // nothing of this job: place it again (the worker is forgotten until a beat lists
        // it), a few times
        if (attempt >= PLACE_ATTEMPTS) {
          throw e;
        }
        job.narrate("infer_retry").hiveId(hiveId).workerId(worker.workerId()).model(op.model())
            .warn()
            .human("Worker {} on hive {} did not answer ({}); placing the request again",
                worker.workerId(), hiveId, e.getMessage())
            .emit();
      } finally {
        loads.release(hiveId, worker.workerId());
      }
    }
  }

  /** Each worker's last generation speed as this queen saw it. */
  public WorkerRates rates() {
    return rates;
  }

  /**
   * Reports the jobs waiting at this queen for a worker, by model ({@code rbee_queue_depth}
   * with labels {@code queen, infer, <model>}): those in line and the one at the front that
   * waits for a slot or a spawn; only models that jobs at this queen ask for now. Reads the
   * queues as they are; never blocks for long.
   */
  public void reportQueues(LiveGauge.Sink sink) {
    queues.forEach((q, line) -> sink.value(line.gate.waiting() + line.gate.holders(),
        Daemon.QUEEN.id(), "infer", q.model()));
  }

  private record Placement(String hiveId, WorkerInfo worker) {}

  private record Candidate(String hiveId, WorkerInfo worker, int placed, int reported) {}

  /** Waits (at the front of the model's queue) until a worker has a slot for this job. */
  private Placement place(Operation.OnWorker op, JobContext job) throws Exception {
    Narrated told = new Narrated();
    while (true) {
      job.throwIfCancelled();
      long seen = loads.version();
      List<LiveHives.Entry> fresh = candidates(op, job, told);
      List<Candidate> ready = readyWorkers(op.model(), fresh);
      for (Candidate c : ready) {
        if (c.placed() < WorkerSlots.GENERATION
            && loads.tryTake(c.hiveId(), c.worker().workerId(), WorkerSlots.GENERATION)) {
          job.narrate("infer_pick").hiveId(c.hiveId()).workerId(c.worker().workerId())
              .model(op.model())
              .human("Worker {} on hive {}: idle, has the model{}", c.worker().workerId(),
                  c.hiveId(), ready.size() == 1 ? ""
                      : " (least busy of " + ready.size() + " ready workers with it)")
              .emit();
          return new Placement(c.hiveId(), c.worker());
        }
      }
      if (!ready.isEmpty()) {
        if (told.once("busy")) {
          job.narrate("infer_busy").model(op.model())
              .human("All {} ready worker(s) with {} are busy ({}); this job is first in line"
                  + " (place 1) for the next free slot", ready.size(), op.model(), names(ready))
              .emit();
        }
        await(seen, job);
        continue;
      }
      WorkerInfo starting = startingWorker(op.model(), fresh);
      if (starting != null) {
        if (told.once("starting")) {
          job.narrate("infer_wait_worker").hiveId(starting.hiveId())
              .workerId(starting.workerId()).model(op.model())
              .human("Worker {} on hive {} is loading {}; waiting for it",
                  starting.workerId(), starting.hiveId(), op.model())
              .emit();
        }
        await(seen, job);
        continue;
      }
      SpawnPlan plan = SpawnPlan.choose(op.model(), fresh)
          .orElseThrow(() -> noModel(op.model(), fresh));
      WorkerInfo spawned = new WorkerSpawns(hives).spawn(plan, op.model(), job);
      live.noteWorker(spawned);
      if (loads.tryTake(plan.hiveId(), spawned.workerId(), WorkerSlots.GENERATION)) {
        job.narrate("infer_pick").hiveId(plan.hiveId()).workerId(spawned.workerId())
            .model(op.model())
            .human("Worker {} on hive {}: spawned for this job, has the model",
                spawned.workerId(), plan.hiveId())
            .emit();
        return new Placement(plan.hiveId(), spawned);
      }
    }
  }

  /** The fresh hives to place on: the named one, or every fresh one (stale ones narrated). */
  private List<LiveHives.Entry> candidates(Operation.OnWorker op, JobContext job, Narrated told) {
    if (op.hiveId() != null) {
      LiveHives.Entry e = live.get(op.hiveId()).orElseThrow(() -> {
        hives.require(op.hiveId()); // hive_not_found for a hive nobody knows
        return new OperationException(ErrorKind.NO_HIVE, "hive " + op.hiveId()
            + " sends no heartbeats to this queen, so the queen cannot place work on it:"
            + " start it with --queen-url pointing at this queen (`rbee hive start` does)");
      });
      if (e.stale()) {
        throw LiveHives.staleFailure(e);
      }
      return List.of(e);
    }
    List<LiveHives.Entry> fresh = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (LiveHives.Entry e : live.all()) {
      if (e.stale()) {
        stale.add(e.hiveId());
        if (told.once("stale " + e.hiveId())) {
          job.narrate("infer_skip_hive").hiveId(e.hiveId()).warn()
              .human("Hive {} is stale (no heartbeat for {} ms); it gets no work", e.hiveId(),
                  e.ageMs())
              .emit();
        }
      } else {
        fresh.add(e);
      }
    }
    if (fresh.isEmpty()) {
      throw new OperationException(ErrorKind.NO_HIVE, "no hive sends heartbeats to this queen"
          + (stale.isEmpty() ? "" : " (stale: " + String.join(", ", stale) + ")")
          + "; start one with `rbee hive start`, or start rbee-hive with --queen-url");
    }
    fresh.sort(Comparator.comparing(LiveHives.Entry::hiveId));
    return fresh;
  }

  /** Ready workers with {@code model} on {@code fresh} hives, least busy first. */
  private List<Candidate> readyWorkers(String model, List<LiveHives.Entry> fresh) {
    List<Candidate> out = new ArrayList<>();
    for (LiveHives.Entry e : fresh) {
      for (WorkerInfo w : e.beat().workers()) {
        if ("ready".equals(w.state()) && model.equals(w.model()) && w.url() != null) {
          int reported = (Boolean.TRUE.equals(w.busy()) ? 1 : 0)
              + (w.queueDepth() == null ? 0 : w.queueDepth());
          out.add(new Candidate(e.hiveId(), w, loads.of(e.hiveId(), w.workerId()), reported));
        }
      }
    }
    out.sort(Comparator.comparingInt(Candidate::placed).thenComparingInt(Candidate::reported));
    return out;
  }

  private static WorkerInfo startingWorker(String model, List<LiveHives.Entry> fresh) {
    for (LiveHives.Entry e : fresh) {
      for (WorkerInfo w : e.beat().workers()) {
        if ("starting".equals(w.state()) && model.equals(w.model())) {
          return w;
        }
      }
    }
    return null;
  }

  private static OperationException noModel(String model, List<LiveHives.Entry> fresh) {
    List<String> seen = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (LiveHives.Entry e : fresh) {
      ids.add(e.hiveId());
      e.beat().models().forEach(m -> seen.add(m.id() + "@" + e.hiveId()));
    }
    return new OperationException(ErrorKind.MODEL_NOT_FOUND, "no hive has model \"" + model
        + "\" (models: " + (seen.isEmpty() ? "none" : String.join(", ", seen))
        + "); hives that could download it: " + String.join(", ", ids)
        + " (`rbee model download " + model + " --hive " + ids.get(0) + "`)");
  }

  private static String names(List<Candidate> ready) {
    List<String> out = new ArrayList<>();
    for (Candidate c : ready) {
      out.add(c.worker().workerId() + "@" + c.hiveId());
    }
    return String.join(", ", out);
  }

  private void await(long seen, JobContext job) {
    try {
      loads.await(seen, RECHECK);
    } catch (InterruptedException e) {
      if (!job.cancelled()) {
        Thread.currentThread().interrupt();
      }
      throw new JobCancelledException();
    }
  }

  /** Relays {@code op} through {@code worker}, naming what went wrong in the worker's terms. */
  private Done relay(Operation.OnWorker op, JobContext job, WorkerInfo worker, String hiveId,
      LiveHives.Watch watch) {
    // workers require the installation's token, as hives do: the queen calls them directly;
    // the queen relays text: tokens that wait for it together may come as one event
    JobClient client = new JobClient(worker.url(), hives.token()).withMergedTokens();
    try {
      return new Relay(client, hiveId).run(op, job, watch.stale());
    } catch (JobCancelledException e) {
      if (job.cancelled()) {
        throw e;
      }
      // nobody here cancelled it: the worker did, as it stopped (its hive went away, a kill)
      live.forgetWorker(hiveId, worker.workerId());
      throw new OperationException(ErrorKind.WORKER_LOST, "worker " + worker.workerId()
          + " on hive " + hiveId + " ended the generation without being asked (it was"
          + " stopped: its hive went away or killed it)");
    } catch (JobClientException e) {
      if (e.kind() != JobClientException.Kind.REJECTED || shuttingDown(e)) {
        live.forgetWorker(hiveId, worker.workerId()); // no more work until a beat lists it
      }
      if (shuttingDown(e)) {
        // it is stopping (unloaded idle, evicted, killed) and took nothing of this job
        throw new NotAnswered("worker " + worker.workerId() + " on hive " + hiveId
            + " is shutting down: " + e.getMessage());
      }
      throw switch (e.kind()) {
        case STREAM_BROKEN -> new OperationException(ErrorKind.WORKER_LOST, "worker "
            + worker.workerId() + " on hive " + hiveId
            + " went away mid-generation: " + e.getMessage());
        case UNAUTHORIZED -> new OperationException(ErrorKind.UNAUTHORIZED, "worker "
            + worker.workerId() + " on hive " + hiveId + " refused this queen's token: "
            + e.getMessage());
        case REJECTED -> new OperationException(e.httpStatus() == 429 ? ErrorKind.WORKER_BUSY
            : ErrorKind.WORKER_REJECTED, "worker " + worker.workerId() + ": " + e.getMessage());
        case UNREACHABLE -> new NotAnswered("worker " + worker.workerId() + " on hive " + hiveId
            + " at " + worker.url() + " is not reachable: " + e.getMessage());
        default -> new OperationException(ErrorKind.WORKER_UNREACHABLE, "worker "
            + worker.workerId() + " on hive " + hiveId + " at " + worker.url()
            + " answered oddly: " + e.getMessage());
      };
    }
  }

  /**
   * 503 {@code shutting_down}, what a daemon's job server answers a submit once it is closing:
   * the worker refused the job and ran none of it.
   */
  private static boolean shuttingDown(JobClientException e) {
    return e.kind() == JobClientException.Kind.REJECTED && e.httpStatus() == 503
        && "shutting_down".equals(e.code());
  }

  /**
   * A worker that never answered, or refused the job because it is shutting down: nothing of
   * the job reached it or came back from it.
   */
  private static final class NotAnswered extends OperationException {
    private static final long serialVersionUID = 1L;

    NotAnswered(String message) {
      super(ErrorKind.WORKER_UNREACHABLE, message);
    }
  }

  /** What a job was told already, so a wait that loops narrates each thing once. */
  private static final class Narrated {
    private final Set<String> said = new HashSet<>();

    boolean once(String what) {
      return said.add(what);
    }
  }
}
