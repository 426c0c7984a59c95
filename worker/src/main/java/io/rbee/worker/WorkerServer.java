package io.rbee.worker;

import io.javalin.http.Context;
import io.rbee.jobs.Daemon;
import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.limits.WorkerSlots;
import io.rbee.jobs.metrics.InferenceMetrics;
import io.rbee.jobs.metrics.LiveGauge;
import io.rbee.jobs.metrics.QueueMetrics;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import io.rbee.worker.inference.InferOperation;
import io.rbee.worker.inference.LlamaEngine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's HTTP side. Route table:
 *
 * <pre>
 * GET /health   503 {"status": "loading", ...} until the model is loaded, then 200 "ready"
 *               (with the llama.cpp "threads" it computes with, and its load: "busy" while
 *               its generation slot is taken, "queue_depth" jobs waiting for it, "idle_ms"
 *               since its last job ended, 0 while one runs or waits, and "keep_alive_ms",
 *               how long it stays loaded once idle, -1 for ever: see {@link Activity})
 * GET /metrics  Prometheus text: the job server's figures, tokens generated, time to first
 *               token, tokens/s, the generation slot's queue ({@code DaemonServer})
 * POST|GET|DELETE /v1/jobs...   the shared job API, operations Infer and Embed
 * </pre>
 *
 * <p>Every path but {@code GET /health} requires the installation's access token, which the
 * hive hands the worker in {@code RBEE_TOKEN}: the queen calls workers directly.
 *
 * <p>The worker has {@link #GENERATION_SLOTS} generation slot (llama.cpp runs one sequence at
 * a time here); up to {@link #QUEUE_CAPACITY} more jobs wait for it, each told its place, and
 * beyond that submissions are refused (429). A job nobody follows for 10 s is cancelled. The
 * server starts before the model loads so the hive can watch the load.
 */
public final class WorkerServer implements AutoCloseable {
  /** Generations that run at once ({@link WorkerSlots#GENERATION}). */
  public static final int GENERATION_SLOTS = WorkerSlots.GENERATION;

  /** Jobs that may wait for a generation slot ({@link WorkerSlots#QUEUE}). */
  public static final int QUEUE_CAPACITY = WorkerSlots.QUEUE;

  /** How long a generation runs on after its last follower left. */
  public static final Duration ABANDON_AFTER = Duration.ofSeconds(10);

  private final String workerId;
  private final String modelId;
  private final String device;
  private final AtomicReference<LlamaEngine> engine = new AtomicReference<>();
  private final Gate slots;
  private final Activity activity;
  private final DaemonServer server;
  private final LiveGauge.Registration queueDepth;

  /**
   * A worker that requires {@code token} on every path but {@code /health} and stays loaded
   * {@link KeepAlive#DEFAULT} once idle, unless a request says otherwise.
   */
  public WorkerServer(String workerId, String modelId, String device, AccessToken token) {
    this(workerId, modelId, device, token, KeepAlive.DEFAULT);
  }

  /** As above, staying loaded {@code keepAlive} once idle unless a request says otherwise. */
  public WorkerServer(String workerId, String modelId, String device, AccessToken token,
      KeepAlive keepAlive) {
    this.workerId = workerId;
    this.modelId = modelId;
    this.device = device;
    this.slots = new Gate("the generation slot of worker " + workerId, GENERATION_SLOTS)
        .timed(Daemon.WORKER.id(), "generation");
    this.queueDepth = QueueMetrics.DEPTH.track(sink ->
        sink.value(slots.waiting(), Daemon.WORKER.id(), "generation", modelId));
    this.activity = new Activity(keepAlive);
    this.server = DaemonServer.of(JobServer.Options.of(Daemon.WORKER)
            .withMaxLiveJobs(GENERATION_SLOTS + QUEUE_CAPACITY)
            .withAbandonAfter(ABANDON_AFTER),
        InferenceMetrics.metered(
            activity.around(new InferOperation(engine::get, workerId, modelId, slots)),
            Daemon.WORKER.id(), true), token)
        .health(this::health);
  }

  /** Starts serving on {@code bind}:{@code port} (0: a free port). */
  public WorkerServer start(String bind, int port) {
    server.start(bind, port);
    return this;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  /** Makes the worker ready: jobs run on {@code loaded} from now on. */
  public void ready(LlamaEngine loaded) {
    activity.loaded();
    engine.set(loaded);
  }

  private void health(Context ctx) {
    LlamaEngine loaded = engine.get();
    boolean ready = loaded != null;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "ready" : "loading");
    body.put("worker_id", workerId);
    body.put("model", modelId);
    body.put("device", device);
    if (ready) {
      body.put("threads", loaded.threads());
      // what the hive reports in its heartbeats (it reads this at each beat)
      body.put("busy", slots.holders() >= GENERATION_SLOTS);
      body.put("queue_depth", slots.waiting());
      // what the hive unloads the worker by (KeepAliveReaper)
      body.put("idle_ms", activity.idleMs());
      body.put("keep_alive_ms", activity.keepAlive().millis());
    }
    ctx.status(ready ? 200 : 503).json(body);
  }

  /** Cancels jobs, stops serving, then unloads the model (after a running token). */
  @Override
  public void close() {
    queueDepth.close();
    server.close();
    LlamaEngine loaded = engine.getAndSet(null);
    if (loaded != null) {
      loaded.close();
    }
  }
}
