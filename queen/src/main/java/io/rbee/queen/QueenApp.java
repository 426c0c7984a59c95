package io.rbee.queen;

import io.rbee.hive.Hive;
import io.rbee.hive.HiveConfig;
import io.rbee.hive.heartbeats.BeatSink;
import io.rbee.hive.heartbeats.Heartbeats;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.Daemon;
import io.rbee.jobs.Ids;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.metrics.InferenceMetrics;
import io.rbee.jobs.metrics.LiveGauge;
import io.rbee.jobs.metrics.QueueMetrics;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import io.rbee.queen.history.HistoryConfig;
import io.rbee.queen.history.SqliteHistory;
import io.rbee.queen.hives.HiveConnection;
import io.rbee.queen.hives.HiveLifecycle;
import io.rbee.queen.hives.HiveMetrics;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LiveHives;
import io.rbee.queen.hives.LocalHive;
import io.rbee.queen.inference.Scheduler;
import io.rbee.queen.openai.OpenAiRoutes;
import io.rbee.narration.Json;
import io.rbee.queen.ssh.SshInventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queen daemon's parts, wired, and its one route table. {@link #http()} exposes the
 * running server for tests.
 */
public final class QueenApp {
  /** How long an {@code Infer} job runs on after its last follower left, unless told. */
  public static final Duration INFER_ABANDON_AFTER = Duration.ofSeconds(10);

  private final HiveRegistry hives;
  private final LiveHives live;
  private final HiveLifecycle lifecycle;
  private final DaemonServer server;
  private final boolean localHive;
  private final Heartbeats localBeats;
  private final List<LiveGauge.Registration> gauges;
  private final SqliteHistory history;

  /**
   * What a queen is told at start: {@code inferAbandonAfter}, how long an unfollowed
   * {@code Infer} runs on; {@code hiveStaleAfter}, how long a hive may stay silent before it
   * is stale (null: {@value LiveHives#MISSED_BEATS} × its own interval); {@code inferQueue},
   * how many {@code Infer} jobs may wait for a worker of one model; {@code history}, whether
   * and how long jobs are kept in the job history ({@link SqliteHistory}).
   */
  public record Options(Duration inferAbandonAfter, Duration hiveStaleAfter, int inferQueue,
      HistoryConfig history) {
    public static final Options DEFAULTS = new Options(INFER_ABANDON_AFTER, null,
        Scheduler.DEFAULT_QUEUE_LIMIT, HistoryConfig.DEFAULTS);

    public Options {
      history = history == null ? HistoryConfig.DEFAULTS : history;
    }
  }

  /**
   * Builds and starts a queen on {@code bind}:{@code port} with state under {@code home};
   * {@code localHive} runs the hive {@code localhost} inside the queen (integrated mode).
   */
  public QueenApp(Path home, AccessToken token, String bind, int port, boolean localHive) {
    this(home, token, bind, port, localHive, Options.DEFAULTS);
  }

  /**
   * As above, with {@code options}; {@code token}: the installation's, which every path but
   * {@code /health} requires and which hives and workers are called with (the in-process
   * hive's workers too).
   */
  public QueenApp(Path home, AccessToken token, String bind, int port, boolean localHive,
      Options options) {
    this.localHive = localHive;
    this.live = new LiveHives(options.hiveStaleAfter());
    LocalHive local = localHive ? new LocalHive(Operation.DEFAULT_HIVE,
        new Hive(HiveConfig.local(home).withToken(token))) : null;
    this.hives = new HiveRegistry(RbeeHome.queen(home), local, live, token);
    String[] self = {null};
    this.lifecycle = new HiveLifecycle(home, hives, () -> self[0], SshInventory.of(home));
    // every job and its events outlive this process (off, loudly, when the file is unusable)
    this.history = SqliteHistory.open(RbeeHome.queen(home), options.history());
    // an inference nobody follows any more (rbee infer interrupted) stops, here and on the
    // worker; other jobs (a download, a hive start) finish even when their follower left
    JobServer.Options jobOptions = JobServer.Options.of(Daemon.QUEEN)
        .withAbandonAfter(options.inferAbandonAfter())
        .withAbandonOnly(Set.of(Operation.nameOf(Operation.Infer.class)))
        .withArchive(history);
    Scheduler scheduler = new Scheduler(hives, options.inferQueue());
    QueenOperations operations = new QueenOperations(hives, lifecycle, scheduler, () -> self[0],
        jobOptions::droppedNarrations);
    // an Infer's time to first token and tokens/s as the queen's users see them
    DaemonServer daemon = DaemonServer.of(jobOptions,
        InferenceMetrics.metered(operations, Daemon.QUEEN.id(), false), token);
    OpenAiRoutes openAi = new OpenAiRoutes(daemon.jobs(), live);
    this.server = started(daemon
        .health(ctx -> ctx.json(health()))
        .routes(cfg -> {
          openAi.register(cfg);
          cfg.routes.post("/v1/hives/{hive}/heartbeat", ctx ->
              ctx.json(heartbeat(ctx.pathParam("hive"), ctx.body())));
          cfg.routes.get("/v1/hives/{hive}/workers/{worker}/logs", ctx -> {
            int tail = ctx.queryParamAsClass("tail", Integer.class).getOrDefault(200);
            ctx.contentType("text/plain; charset=utf-8")
                .result(workerLog(ctx.pathParam("hive"), ctx.pathParam("worker"), tail));
          });
        }), bind, port);
    self[0] = selfUrl(bind, server.port());
    this.gauges = List.of(QueueMetrics.DEPTH.track(scheduler::reportQueues),
        HiveMetrics.track(live));
    // integrated mode: the in-process hive beats straight into the live registry
    this.localBeats = local == null ? null : Heartbeats.start(local.hive(), local.url(),
        Heartbeats.interval(null), new BeatSink() {
          @Override
          public void send(HiveHeartbeat beat) {
            live.beat(beat);
          }

          @Override
          public String describe() {
            return "queen's live registry (in-process)";
          }
        });
  }

  /** Starts {@code daemon}; when that fails (port in use), the history is closed again. */
  private DaemonServer started(DaemonServer daemon, String bind, int port) {
    try {
      return daemon.start(bind, port);
    } catch (RuntimeException e) {
      history.close();
      throw e;
    }
  }

  /** How hives this queen starts reach it: its bind address, or loopback for a wildcard. */
  private static String selfUrl(String bind, int port) {
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code POST /v1/hives/{hive}/heartbeat}: takes a hive's beat into the live registry. */
  private HiveHeartbeat.Ack heartbeat(String hiveId, String body) {
    requireId("hive id", hiveId);
    HiveHeartbeat beat;
    try {
      beat = Json.read(body, HiveHeartbeat.class);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid_heartbeat",
          "the body is not a heartbeat: " + e.getMessage());
    }
    if (!hiveId.equals(beat.hiveId())) {
      throw ApiException.badRequest("invalid_heartbeat", "the heartbeat of hive \""
          + beat.hiveId() + "\" was posted for hive \"" + hiveId + "\"");
    }
    if (beat.url() == null || !beat.url().startsWith("http")) {
      throw ApiException.badRequest("invalid_heartbeat",
          "url must be the hive's http(s) URL, got " + beat.url());
    }
    if (beat.intervalMs() < 100 || beat.intervalMs() > 60_000) {
      throw ApiException.badRequest("invalid_heartbeat",
          "interval_ms must be 100..60000, got " + beat.intervalMs());
    }
    if (hives.integrated() && Operation.DEFAULT_HIVE.equals(hiveId)) {
      throw ApiException.badRequest("invalid_heartbeat", "hive " + hiveId
          + " runs inside this queen (integrated mode); a hive daemon needs another --hive-id");
    }
    hives.adopt(hiveId, beat.url());
    return live.beat(beat);
  }

  private Map<String, Object> health() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "ok");
    h.put("service", "queen-rbee");
    h.put("pid", ProcessHandle.current().pid());
    h.put("local_hive", localHive);
    return h;
  }

  private String workerLog(String hiveId, String workerId, int tail) {
    // ids go into the URL of the hive's route: refuse anything that is not one plain segment
    requireId("hive id", hiveId);
    requireId("worker id", workerId);
    if (tail < 1 || tail > 100_000) {
      throw ApiException.badRequest("invalid_tail", "tail must be 1..100000, got " + tail);
    }
    try {
      HiveConnection hive = hives.require(hiveId);
      return hive.workerLog(workerId, tail);
    } catch (OperationException e) {
      int status = switch (e.kind()) {
        case HIVE_NOT_FOUND, WORKER_NOT_FOUND -> 404;
        default -> 502;
      };
      throw new ApiException(status, e.wireKind(), e.getMessage());
    }
  }

  private static void requireId(String what, String id) {
    try {
      Ids.require(what, id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_id", e.getMessage());
    }
  }

  public DaemonHttp http() {
    return server.http();
  }

  /**
   * Stops serving, cancels running jobs, and stops what this queen started: the hive daemons
   * (each stops its workers; those on other machines over SSH), or in integrated mode the
   * in-process hive's workers.
   */
  public void close() {
    close(true);
  }

  /**
   * As {@link #close()}; {@code stopHives} false leaves the hive daemons running (and their
   * workers), for {@code rbee queen stop --keep-hives}. The in-process hive of integrated mode
   * always stops with the queen.
   */
  public void close(boolean stopHives) {
    if (localBeats != null) {
      localBeats.close();
    }
    server.close();
    history.close(); // after the jobs' done: a clean stop leaves nothing running in it
    gauges.forEach(LiveGauge.Registration::close);
    live.close();
    if (stopHives) {
      lifecycle.stopAll(Duration.ofSeconds(6), Duration.ofSeconds(14));
    }
    hives.localHive().ifPresent(LocalHive::close);
  }
}
