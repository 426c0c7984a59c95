package io.rbee.bench;

import io.rbee.bench.relay.FloodFollower;
import io.rbee.bench.relay.FloodHiveProcess;
import io.rbee.bench.relay.FloodPlan;
import io.rbee.bench.relay.FloodRun;
import io.rbee.bench.relay.NginxProxy;
import io.rbee.bench.relay.RelayReport;
import io.rbee.bench.report.Machine;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.testkit.daemons.Daemon;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark 1, the narration relay: a flood hive emits a burst of narration (and a paced run),
 * and a follower times every event on three paths, interleaved round by round:
 *
 * <ul>
 *   <li>A {@code direct}: the follower reads the flood hive's job stream itself (no relay);
 *   <li>B {@code nginx}: the same stream through nginx with {@code proxy_buffering off} (the
 *       reference relay);
 *   <li>C {@code queen}: a real queen adopted the flood hive ({@code HiveStart{port}}); the
 *       follower submits {@code HiveCheck} to the queen and reads the queen's job, into which
 *       the queen's Relay relays every hive event. Its job history (SQLite) is on, as a
 *       queen's is by default;
 *   <li>C-off {@code queen-nohist}: the same through a second queen started with
 *       {@code --no-history}, so one run shows what the history costs the relay.
 * </ul>
 *
 * <p>Prints a Markdown report (medians over the rounds, their range, and the ratios C/B and C/A)
 * on stdout and progress on stderr. Options ({@code --name value}, or {@code BENCH_NAME}):
 * {@code events} (burst size, 20000), {@code paced-events} (4000), {@code rate} (paced events
 * per second, 2000), {@code rounds} (7), {@code warmup} (rounds not counted, 2), {@code nginx}
 * (the binary, "nginx"), {@code history} ({@code both}: paths C and C-off, the default;
 * {@code on}: path C only), {@code work}, {@code keep}.
 */
public final class RelayBench {
  private RelayBench() {}

  public static void main(String[] argv) {
    BenchArgs.runMain("relay-bench", argv, RelayBench::measure);
  }

  private static void measure(String[] argv) throws Exception {
    System.setProperty("logback.configurationFile", BenchArgs.LOGBACK);
    PrintStream out = BenchArgs.reportStream();
    BenchArgs args;
    try {
      args = BenchArgs.parse(argv, Set.of("events", "paced-events", "rate", "rounds", "warmup",
          "nginx", "history", "work", "keep"), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("relay-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    FloodPlan burst = new FloodPlan(args.integer("events", 20_000, 1, 45_000), 0);
    FloodPlan paced = new FloodPlan(args.integer("paced-events", 4_000, 1, 45_000),
        args.integer("rate", 2_000, 1, 1_000_000));
    int rounds = args.integer("rounds", 7, 1, 1000);
    int warmup = args.integer("warmup", 2, 0, 1000);
    String nginxBinary = args.string("nginx", "nginx");
    String history = args.string("history", "both");
    if (!history.equals("both") && !history.equals("on")) {
      System.err.println("relay-bench: --history must be both or on, got \"" + history + "\"");
      System.exit(2);
      return;
    }
    List<String> paths = history.equals("both") ? RelayReport.PATHS_WITH_HISTORY_OFF
        : RelayReport.PATHS;

    Workspace work = Workspace.create("relay", args);
    String loadBefore = Machine.loadAverage();
    RelayReport report = new RelayReport(paths);
    boolean ok = false;
    // the queen's token, made before either starts: the queen reads it from its home, the
    // flood hive gets it in its environment, as a hive the queen started would
    AccessToken token = TokenFile.readOrCreate(TokenFile.path(work.resolve("queen-home")));
    Daemon.shareToken(work.resolve("queen-home"), work.resolve("queen-nohist-home"));
    try (FloodHiveProcess hive = FloodHiveProcess.start(work.resolve("flood-home"),
            work.resolve("logs/flood-hive.log"), token);
        NginxProxy nginx = NginxProxy.start(nginxBinary, work.resolve("nginx"), hive.port());
        Daemon queen = Daemon.queen(work.resolve("queen-home"));
        Daemon noHistory = paths.contains("queen-nohist")
            ? Daemon.queen(work.resolve("queen-nohist-home"), "--no-history") : null) {
      adopt(queen, hive);
      Map<String, String> urls = new HashMap<>(Map.of("direct", hive.url(), "nginx",
          nginx.url(), "queen", queen.url()));
      if (noHistory != null) {
        adopt(noHistory, hive);
        urls.put("queen-nohist", noHistory.url());
      }
      log("flood hive " + hive.url() + ", nginx " + nginx.url() + ", queen " + queen.url()
          + (noHistory == null ? "" : ", queen without history " + noHistory.url())
          + "; work folder " + work.dir());
      for (int round = 1 - warmup; round <= rounds; round++) {
        for (String path : Rounds.rotated(paths, round + warmup)) {
          JobClient client = new JobClient(urls.get(path), token);
          FloodRun b = run(path, client, hive, burst);
          FloodRun p = run(path, client, hive, paced);
          String tag = round < 1 ? "warm-up" : "round " + round;
          log(String.format("%-8s %-6s burst %,9.0f ev/s p50 %7.2f ms p99 %7.2f ms | paced"
                  + " p50 %6.3f ms p99 %6.3f ms", tag, path, b.throughput(),
              b.latencyMs().percentile(50), b.latencyMs().percentile(99),
              p.latencyMs().percentile(50), p.latencyMs().percentile(99)));
          if (round >= 1) {
            report.add(path, b, p);
          }
        }
      }
      ok = true;
    } finally {
      if (ok) {
        work.cleanUp();
      } else {
        System.err.println("relay-bench: failed; logs kept in " + work.dir());
      }
    }
    out.print(report.render(burst, paced, rounds, warmup, loadBefore,
        NginxProxy.version(nginxBinary)));
    out.flush();
    System.exit(0);
  }

  /** The queen adopts the flood hive as {@code localhost}: it already answers /health there. */
  private static void adopt(Daemon queen, FloodHiveProcess hive) throws Exception {
    Done done = queen.client().run(new Operation.HiveStart("localhost", hive.port()), e -> {});
    if (done.status() != JobStatus.SUCCEEDED) {
      throw new IllegalStateException("the queen did not adopt the flood hive: " + done.error());
    }
  }

  private static FloodRun run(String path, JobClient client, FloodHiveProcess hive,
      FloodPlan plan) throws Exception {
    String jobId = client.submit(new Operation.HiveCheck("localhost")).jobId();
    return FloodFollower.follow(path, client, jobId, plan, () -> hive.go(plan));
  }

  private static void log(String line) {
    System.err.println("relay-bench: " + line);
  }
}
