package io.rbee.bench;

import io.rbee.bench.inference.BenchModel;
import io.rbee.bench.inference.DirectLlama;
import io.rbee.bench.inference.Generation;
import io.rbee.bench.inference.QueenInference;
import io.rbee.bench.report.Machine;
import io.rbee.bench.report.Samples;
import io.rbee.bench.report.Table;
import io.rbee.gguf.DemoModel;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.limits.LlamaThreads;
import io.rbee.testkit.daemons.Daemon;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark 4, concurrency: {@code jobs} (300) {@code Infer} jobs submitted at once to one
 * queen (distributed mode, one hive, one demo-model worker with one generation slot), each
 * followed to its end by a follower of its own. All must succeed. Per job: how long it waited
 * for the worker's generation slot (submit → the worker's {@code infer_start}), and the
 * first-token latency rbee adds once it runs (the worker's {@code infer_start} → the first
 * token at the follower). The same for one job alone, and llama.cpp called directly (its
 * first token after the call), in the same run. Medians over the rounds.
 *
 * <p>Options: {@code jobs} (300), {@code max-tokens} (8), {@code rounds} (3), {@code work},
 * {@code keep}.
 */
public final class ConcurrencyBench {
  private ConcurrencyBench() {}

  public static void main(String[] argv) {
    BenchArgs.runMain("concurrency-bench", argv, ConcurrencyBench::measure);
  }

  private static void measure(String[] argv) throws Exception {
    System.setProperty("logback.configurationFile", BenchArgs.LOGBACK);
    PrintStream out = BenchArgs.reportStream();
    BenchArgs args = BenchArgs.parse(argv, Set.of("jobs", "max-tokens", "rounds", "work",
        "keep"), System.getenv());
    int jobs = args.integer("jobs", 300, 1, 10_000);
    int maxTokens = args.integer("max-tokens", 8, 1, 4096);
    int rounds = args.integer("rounds", 3, 1, 100);
    Workspace work = Workspace.create("concurrency", args);
    String loadBefore = Machine.loadAverage();
    Operation.Infer req = new Operation.Infer(null, DemoModel.ID, "Once upon a time",
        maxTokens, 0.0, null, null, 1L, null);
    List<Samples> waits = new ArrayList<>();
    List<Samples> added = new ArrayList<>();
    List<Double> aloneAdded = new ArrayList<>();
    List<Double> directFirst = new ArrayList<>();
    List<Integer> completed = new ArrayList<>();
    boolean ok = false;
    DirectLlama.prepare(Files.createDirectories(work.resolve("native")), "cpu");
    try (Daemon queen = Daemon.queen(work.resolve("queen-home"))) {
      JobClient client = queen.client();
      QueenJobs.run(client, new Operation.HiveStart("localhost", null));
      QueenJobs.run(client, new Operation.ModelDownload("localhost", DemoModel.ID));
      QueenInference.run(client, req); // spawns the worker and warms it
      Path model = BenchModel.DEMO.write(work.resolve("direct"));
      // the queen's automatic spawn gives the worker the hive's default thread count
      try (DirectLlama direct = new DirectLlama(model, "cpu", LlamaThreads.machineDefault())) {
        for (int round = 1; round <= rounds; round++) {
          Generation alone = QueenInference.run(client, req);
          aloneAdded.add(alone.firstTokenMs() - alone.workerStartMs());
          directFirst.add(direct.generate(req).firstTokenMs());
          List<Generation> all = concurrently(client, req, jobs);
          completed.add(all.size());
          waits.add(Samples.of(all.stream().mapToDouble(Generation::workerStartMs).toArray()));
          added.add(Samples.of(all.stream()
              .mapToDouble(g -> g.firstTokenMs() - g.workerStartMs()).toArray()));
          log(String.format("round %d: %d of %d succeeded; slot wait p50 %.0f ms p99 %.0f ms;"
                  + " added first-token p50 %.1f ms p99 %.1f ms (alone %.1f ms, direct %.1f"
                  + " ms)", round, all.size(), jobs, waits.get(round - 1).percentile(50),
              waits.get(round - 1).percentile(99), added.get(round - 1).percentile(50),
              added.get(round - 1).percentile(99), aloneAdded.get(round - 1),
              directFirst.get(round - 1)));
        }
      }
      ok = true;
    } finally {
      if (ok) {
        work.cleanUp();
      } else {
        System.err.println("concurrency-bench: failed; logs kept in " + work.dir());
      }
    }
    Table t = new Table("measure", "median over rounds (min–max)");
    t.row("jobs that succeeded, of " + jobs, Table.medianRange(Samples.of(completed), 0));
    t.row("slot wait p50 ms", Table.medianRange(of(waits, 50), 0));
    t.row("slot wait p99 ms", Table.medianRange(of(waits, 99), 0));
    t.row("first token after infer_start, p50 ms (" + jobs + " at once)",
        Table.medianRange(of(added, 50), 1));
    t.row("first token after infer_start, p99 ms (" + jobs + " at once)",
        Table.medianRange(of(added, 99), 1));
    t.row("first token after infer_start, one job alone, ms",
        Table.medianRange(Samples.of(aloneAdded), 1));
    t.row("llama.cpp direct: first token after the call, ms",
        Table.medianRange(Samples.of(directFirst), 1));
    out.print("## Concurrency: " + jobs + " Infer jobs at once through one queen\n\n"
        + "Distributed mode, one hive, one demo-model worker (one generation slot, "
        + LlamaThreads.machineDefault() + " llama.cpp thread(s), as the reference), max_tokens "
        + maxTokens + ", temperature 0; " + rounds + " rounds. Machine: " + Machine.describe()
        + "; load average before " + loadBefore + ", after " + Machine.loadAverage()
        + ".\n\n" + t);
    out.flush();
    System.exit(0);
  }

  private static Samples of(List<Samples> perRound, double percentile) {
    return Samples.of(perRound.stream().mapToDouble(s -> s.percentile(percentile)).toArray());
  }

  /** {@code n} jobs submitted at once, each followed on a virtual thread; all must succeed. */
  private static List<Generation> concurrently(JobClient client, Operation.Infer req, int n)
      throws Exception {
    try (ExecutorService followers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Generation>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(followers.submit(() -> QueenInference.run(client, req)));
      }
      List<Generation> done = new ArrayList<>();
      for (Future<Generation> f : futures) {
        done.add(f.get());
      }
      return done;
    }
  }

  private static void log(String line) {
    System.err.println("concurrency-bench: " + line);
  }
}
