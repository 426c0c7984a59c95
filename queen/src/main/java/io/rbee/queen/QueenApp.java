package io.rbee.queen;

import io.rbee.hive.Hive;
import io.rbee.hive.HiveConfig;
import io.rbee.jobs.Daemon;
import io.rbee.jobs.Ids;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import io.rbee.queen.hives.HiveConnection;
import io.rbee.queen.hives.HiveLifecycle;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LocalHive;
import io.rbee.queen.inference.Scheduler;
import io.rbee.queen.ssh.SshInventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
  private final HiveLifecycle lifecycle;
  private final DaemonServer server;
  private final boolean localHive;

  /**
   * Builds and starts a queen on {@code bind}:{@code port} with state under {@code home};
   * {@code localHive} runs the hive {@code localhost} inside the queen (integrated mode).
   */
  public QueenApp(Path home, String bind, int port, boolean localHive) {
    this(home, bind, port, localHive, INFER_ABANDON_AFTER);
  }

  /** As above; {@code inferAbandonAfter}: how long an unfollowed {@code Infer} runs on. */
  public QueenApp(Path home, String bind, int port, boolean localHive,
      Duration inferAbandonAfter) {
    this.localHive = localHive;
    LocalHive local =
        localHive ? new LocalHive(Operation.DEFAULT_HIVE, new Hive(HiveConfig.local(home))) : null;
    this.hives = new HiveRegistry(RbeeHome.queen(home), local);
    this.lifecycle = new HiveLifecycle(home, hives, SshInventory.of(home));
    String selfUrl = "http://" + bind + ":" + port;
    // an inference nobody follows any more (rbee infer interrupted) stops, here and on the
    // worker; other jobs (a download, a hive start) finish even when their follower left
    JobServer.Options options = JobServer.Options.of(Daemon.QUEEN)
        .withAbandonAfter(inferAbandonAfter)
        .withAbandonOnly(Set.of(Operation.nameOf(Operation.Infer.class)));
    QueenOperations operations = new QueenOperations(hives, lifecycle, new Scheduler(hives),
        selfUrl, options::droppedNarrations);
    this.server = DaemonServer.of(options, operations)
        .health(ctx -> ctx.json(health()))
        .routes(cfg -> cfg.routes.get("/v1/hives/{hive}/workers/{worker}/logs", ctx -> {
          int tail = ctx.queryParamAsClass("tail", Integer.class).getOrDefault(200);
          ctx.contentType("text/plain; charset=utf-8")
              .result(workerLog(ctx.pathParam("hive"), ctx.pathParam("worker"), tail));
        }))
        .start(bind, port);
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
    server.close();
    if (stopHives) {
      lifecycle.stopAll(Duration.ofSeconds(6), Duration.ofSeconds(14));
    }
    hives.localHive().ifPresent(LocalHive::close);
  }
}
