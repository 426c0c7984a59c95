package io.rbee.bench;

import io.rbee.bench.fanout.FanoutReport;
import io.rbee.bench.fanout.FanoutRun;
import io.rbee.bench.fanout.FanoutTrial;
import io.rbee.bench.relay.FloodHiveProcess;
import io.rbee.bench.relay.FloodPlan;
import io.rbee.bench.relay.NginxProxy;
import io.rbee.bench.report.Machine;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.testkit.daemons.Daemon;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Benchmark 3, fan-out: one queen job followed by 1,000, 5,000 and 10,000 followers at once,
 * beside nginx+nchan fanning the same job's events out to the same number of followers and
 * beside the floor ({@link FanoutFloor}: a bare NIO writer, what the writes alone cost), in the
 * same run, rounds interleaved. Per run: followers connected and complete (every event once, in
 * order), delivery latency p50/p99, the server's peak RSS and threads, the queen's heap, and
 * the queen's {@code /health} latency while it serves them.
 *
 * <p>Options ({@code --name value} or {@code BENCH_NAME}): {@code followers} (comma list,
 * "1000,5000,10000"), {@code events} (100), {@code rate} (events/s, 20), {@code rounds} (3),
 * {@code warmup} (unreported rounds of each path at the smallest count before the first
 * reported one, 1: a cold queen spends a third of its CPU in the JIT), {@code nginx},
 * {@code work}, {@code keep}.
 */
public final class FanoutBench {
  private FanoutBench() {}

  public static void main(String[] argv) {
    BenchArgs.runMain("fanout-bench", argv, FanoutBench::measure);
  }

  private static void measure(String[] argv) throws Exception {
    System.setProperty("logback.configurationFile", BenchArgs.LOGBACK);
    PrintStream out = BenchArgs.reportStream();
    BenchArgs args;
    try {
      args = BenchArgs.parse(argv, Set.of("followers", "events", "rate", "rounds", "warmup",
          "nginx", "work", "keep"), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("fanout-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<Integer> levels = new ArrayList<>();
    for (String n : args.string("followers", "1000,5000,10000").split(",")) {
      levels.add(Integer.parseInt(n.trim()));
    }
    FloodPlan plan = new FloodPlan(args.integer("events", 100, 1, 10_000),
        args.integer("rate", 20, 1, 10_000));
    int rounds = args.integer("rounds", 3, 1, 100);
    int warmup = args.integer("warmup", 1, 0, 100);
    String nginxBinary = args.string("nginx", "nginx");

    Workspace work = Workspace.create("fanout", args);
    String loadBefore = Machine.loadAverage();
    FanoutReport report = new FanoutReport();
    boolean ok = false;
    // the queen's token, made before either starts (see RelayBench)
    AccessToken token = TokenFile.readOrCreate(TokenFile.path(work.resolve("queen-home")));
    try (FloodHiveProcess hive = FloodHiveProcess.start(work.resolve("flood-home"),
            work.resolve("logs/flood-hive.log"), token);
        NginxProxy nchan = NginxProxy.startNchan(nginxBinary, work.resolve("nchan"));
        Daemon queen = Daemon.queen(work.resolve("queen-home"))) {
      Done adopted = queen.client().run(new Operation.HiveStart("localhost", hive.port()),
          e -> {});
      if (adopted.status() != JobStatus.SUCCEEDED) {
        throw new IllegalStateException("the queen did not adopt the flood hive: "
            + adopted.error());
      }
      try (FanoutTrial trial = new FanoutTrial(queen, hive, nchan, plan,
          work.resolve("logs/floor.log"))) {
      int smallest = levels.stream().min(Integer::compare).orElseThrow();
      for (int round = 1; round <= warmup; round++) {
        for (String path : FanoutReport.PATHS) {
          FanoutRun run = trial.run(path, smallest);
          log(String.format("%,6d followers warm-up %d %-5s p50 %.1f ms p99 %.1f ms (not"
              + " counted)", smallest, round, path, run.p50Ms(), run.p99Ms()));
        }
      }
      for (int n : levels) {
        for (int round = 1; round <= rounds; round++) {
          for (String path : Rounds.rotated(FanoutReport.PATHS, round)) {
            FanoutRun run = trial.run(path, n);
            log(String.format("%,6d followers round %d %-5s connected %,d complete %,d p50 %.1f"
                    + " ms p99 %.1f ms RSS %,d MiB threads %d /health max %.1f ms", n, round,
                path, run.connected(), run.complete(), run.p50Ms(), run.p99Ms(),
                run.peakRssBytes() >> 20, run.peakThreads(), run.healthMaxMs()));
            report.add(run);
          }
        }
      }
      }
      ok = true;
    } finally {
      if (ok) {
        work.cleanUp();
      } else {
        System.err.println("fanout-bench: failed; logs kept in " + work.dir());
      }
    }
    out.print(report.render(plan.events(), plan.rate(), rounds, warmup, loadBefore,
        NginxProxy.version(nginxBinary)));
    out.flush();
    System.exit(0);
  }

  private static void log(String line) {
    System.err.println("fanout-bench: " + line);
  }
}
