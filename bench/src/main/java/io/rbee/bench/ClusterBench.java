package io.rbee.bench;

import io.rbee.bench.inference.Generation;
import io.rbee.bench.inference.QueenInference;
import io.rbee.bench.report.Machine;
import io.rbee.bench.report.Samples;
import io.rbee.bench.report.Table;
import io.rbee.gguf.DemoModel;
import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.Done;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 5, the cluster: one queen and one hive started by hand on its own loopback address
 * (127.0.0.2, its own {@code RBEE_HOME}) with {@code --queen-url} and the default heartbeat
 * interval (2 s), one demo-model worker.
 *
 * <ul>
 *   <li>time to detect a dead hive: SIGSTOP → the queen's {@code Status} says {@code stale};
 *       SIGKILL mid-generation → that {@code Infer} job's {@code done} (failed), then the hive
 *       is started again and a worker spawned for the next round;
 *   <li>first-token latency the queen adds with a ready worker: {@code POST /v1/jobs} → first
 *       {@code token} through the queen, beside the same request sent to the worker directly,
 *       alternated, after a warm-up.
 * </ul>
 * Medians over the rounds. Options: {@code rounds} (5), {@code ttft-rounds} (60),
 * {@code warmup} (20), {@code work}, {@code keep}.
 */
public final class ClusterBench {
  private static final String HIVE_ADDRESS = "127.0.0.2";

  private ClusterBench() {}

  public static void main(String[] argv) {
    BenchArgs.runMain("cluster-bench", argv, ClusterBench::measure);
  }

  private static void measure(String[] argv) throws Exception {
    System.setProperty("logback.configurationFile", BenchArgs.LOGBACK);
    PrintStream out = BenchArgs.reportStream();
    BenchArgs args = BenchArgs.parse(argv, Set.of("rounds", "ttft-rounds", "warmup", "work",
        "keep"), System.getenv());
    int rounds = args.integer("rounds", 5, 1, 100);
    int ttftRounds = args.integer("ttft-rounds", 60, 1, 100_000);
    int warmup = args.integer("warmup", 20, 0, 100_000);
    Workspace work = Workspace.create("cluster", args);
    String loadBefore = Machine.loadAverage();
    Path queenHome = Files.createDirectories(work.resolve("queen-home"));
    Path hiveHome = Files.createDirectories(work.resolve("hive-home"));
    int queenPort = FreePorts.next();
    int hivePort = FreePorts.next();
    List<Double> stale = new ArrayList<>();
    List<Double> failed = new ArrayList<>();
    List<String> failedKinds = new ArrayList<>();
    List<Double> viaQueen = new ArrayList<>();
    List<Double> direct = new ArrayList<>();
    List<Double> routed = new ArrayList<>();
    List<Double> queenWorkerStart = new ArrayList<>();
    List<Double> directWorkerStart = new ArrayList<>();
    boolean ok = false;
    Daemon hive = null;
    List<Long> workers = new ArrayList<>();
    try (Daemon queen = Daemon.start("queen", Daemon.QUEEN_MAIN, queenHome, "127.0.0.1",
        queenPort)) {
      JobClient client = queen.client();
      hive = startHive(queenHome, hiveHome, hivePort, queen.url());
      awaitLiveness(client, "fresh");
      QueenJobs.run(client, new Operation.ModelDownload("blue", DemoModel.ID));
      Operation.Infer shortReq = new Operation.Infer(null, DemoModel.ID, "Once upon a time", 4,
          0.0, null, null, 1L, null);
      QueenInference.run(client, shortReq); // spawns the worker

      // first-token latency: through the queen vs to the worker itself, alternated
      WorkerInfo worker = readyWorker(client);
      workers.add(worker.pid());
      JobClient toWorker = new JobClient(worker.url(), queen.token());
      for (int i = 0; i < warmup; i++) {
        QueenInference.run(client, shortReq);
        QueenInference.run(toWorker, shortReq);
      }
      for (int i = 0; i < ttftRounds; i++) {
        Generation q = QueenInference.run(client, shortReq);
        Generation d = QueenInference.run(toWorker, shortReq);
        viaQueen.add(q.firstTokenMs());
        direct.add(d.firstTokenMs());
        routed.add(q.routedMs());
        queenWorkerStart.add(q.workerStartMs());
        directWorkerStart.add(d.workerStartMs());
      }
      log(String.format("first token: queen p50 %.2f ms, worker direct p50 %.2f ms",
          Samples.of(viaQueen).median(), Samples.of(direct).median()));

      Operation.Infer longReq = new Operation.Infer(null, DemoModel.ID, "Once upon a time",
          Operation.Infer.MAX_TOKENS_LIMIT, 0.0, null, null, 1L, null);
      for (int round = 1; round <= rounds; round++) {
        hive.signal("STOP");
        long t0 = System.nanoTime();
        awaitLiveness(client, "stale");
        stale.add((System.nanoTime() - t0) / 1e6);
        hive.signal("CONT");
        awaitLiveness(client, "fresh");

        // a generation running on the hive's worker when the hive is killed
        String jobId = client.submit(longReq).jobId();
        AtomicLong killedAt = new AtomicLong();
        Daemon victim = hive;
        Done done = client.follow(jobId, 0, e -> {
          if (JobEvent.TOKEN.equals(e.event()) && killedAt.get() == 0) {
            try {
              victim.kill();
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
            killedAt.set(System.nanoTime());
          }
        });
        if (done.status() != JobStatus.FAILED || killedAt.get() == 0) {
          throw new IllegalStateException("the job on the killed hive ended " + done.status()
              + ": " + done.error());
        }
        failed.add((System.nanoTime() - killedAt.get()) / 1e6);
        failedKinds.add(done.errorKind());
        log(String.format("round %d: stale after %.0f ms; job failed %.0f ms after SIGKILL (%s)",
            round, stale.get(round - 1), failed.get(round - 1), done.errorKind()));
        hive = startHive(queenHome, hiveHome, hivePort, queen.url());
        awaitLiveness(client, "fresh");
        QueenInference.run(client, shortReq); // a worker again for the next round
        workers.add(readyWorker(client).pid());
      }
      ok = true;
    } finally {
      if (hive != null) {
        hive.close();
      }
      workers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      if (ok) {
        work.cleanUp();
      } else {
        System.err.println("cluster-bench: failed; logs kept in " + work.dir());
      }
    }
    Samples q = Samples.of(viaQueen);
    Samples d = Samples.of(direct);
    Table t = new Table("measure", "median (min–max)", "goal");
    t.row("SIGSTOP → hive stale at the queen, ms (" + rounds + " rounds)",
        Table.medianRange(Samples.of(stale), 0), "≤ 6,000");
    t.row("SIGKILL mid-generation → the job failed, ms (" + rounds + " rounds; "
        + String.join(", ", failedKinds.stream().distinct().toList()) + ")",
        Table.medianRange(Samples.of(failed), 0), "≤ 6,000");
    t.row("first token through the queen, ms (" + ttftRounds + " requests)",
        Table.medianRange(q, 2) + ", p90 " + Table.num(q.percentile(90), 2), "");
    t.row("first token from the worker directly, ms (" + ttftRounds + " requests)",
        Table.medianRange(d, 2) + ", p90 " + Table.num(d.percentile(90), 2), "");
    t.row("what the queen adds, p50 ms", Table.num(q.median() - d.median(), 2), "≤ 2");
    t.row("through the queen: POST → the queen's infer_route (placement), ms",
        Table.medianRange(Samples.of(routed), 2), "");
    t.row("through the queen: POST → the worker's infer_start, ms",
        Table.medianRange(Samples.of(queenWorkerStart), 2), "");
    t.row("directly: POST → the worker's infer_start, ms",
        Table.medianRange(Samples.of(directWorkerStart), 2), "");
    out.print("## Cluster: detecting a dead hive, and the queen's first-token cost\n\n"
        + "One queen, one hive started by hand on " + HIVE_ADDRESS + " with --queen-url, beating"
        + " every 2 s (stale after 3 missed beats: 6 s), one demo-model worker; first-token"
        + " requests max_tokens 4, temperature 0, the two paths alternated after " + warmup
        + " warm-up pairs. Machine: " + Machine.describe() + "; load average before "
        + loadBefore + ", after " + Machine.loadAverage() + ".\n\n" + t);
    out.flush();
    System.exit(0);
  }

  /** The hive "blue", of the queen's installation (its token copied, as an install does). */
  private static Daemon startHive(Path queenHome, Path home, int port, String queenUrl)
      throws Exception {
    Daemon.shareToken(queenHome, home);
    return Daemon.start("hive-blue", Daemon.HIVE_MAIN, home, HIVE_ADDRESS, port,
        "--hive-id", "blue", "--queen-url", queenUrl);
  }

  private static void awaitLiveness(JobClient queen, String liveness) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      HiveInfo h = status(queen).hives().stream().filter(i -> i.hiveId().equals("blue"))
          .findFirst().orElse(null);
      if (h != null && liveness.equals(h.liveness())) {
        return;
      }
      Thread.sleep(20); // polling the queen's Status: the measurement's resolution
    }
    throw new IllegalStateException("hive blue was not " + liveness + " within 60 s");
  }

  private static WorkerInfo readyWorker(JobClient queen) throws Exception {
    return status(queen).workers().stream()
        .filter(w -> "ready".equals(w.state()) && "blue".equals(w.hiveId())).findFirst()
        .orElseThrow(() -> new IllegalStateException("no ready worker on blue"));
  }

  private static ClusterStatus status(JobClient queen) throws Exception {
    String[] result = {null};
    Done done = queen.run(new Operation.Status(), e -> {
      if (JobEvent.RESULT.equals(e.event())) {
        result[0] = e.data();
      }
    });
    if (done.status() != JobStatus.SUCCEEDED || result[0] == null) {
      throw new IllegalStateException("Status ended " + done.status() + ": " + done.error());
    }
    return Json.read(result[0], ClusterStatus.class);
  }

  private static void log(String line) {
    System.err.println("cluster-bench: " + line);
  }
}
