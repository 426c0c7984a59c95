package io.rbee.bench;

import io.rbee.bench.inference.BenchModel;
import io.rbee.bench.inference.DirectLlama;
import io.rbee.bench.inference.Generation;
import io.rbee.bench.inference.InferenceReport;
import io.rbee.bench.inference.KeeperLaunch;
import io.rbee.bench.inference.QueenInference;
import io.rbee.bench.report.Machine;
import io.rbee.jobs.InvalidOperationException;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.limits.LlamaThreads;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark 2, inference through the queen beside llama.cpp called directly, in one run: the
 * same model file, prompt, greedy sampling (temperature 0, seed 1) and {@code max_tokens}.
 *
 * <ul>
 *   <li>{@code direct}: {@link DirectLlama} in this JVM; tokens/s over the generation;
 *   <li>{@code distributed}: a queen and a hive as separate processes, the worker spawned
 *       beforehand ({@code WorkerSpawn}, then warm-up Infers); timed by a follower of the
 *       queen's job;
 *   <li>{@code integrated}: a queen with {@code --local-hive}, measured the same way;
 *   <li>time to first token: the real {@code rbee infer} as a process (start → first byte on
 *       its stdout), {@code rbee --version} (JVM start-up alone), and {@code POST /v1/jobs} →
 *       first {@code token} event from the runs above.
 * </ul>
 *
 * <p>Modes run interleaved, in a different order each round. Prints a Markdown report on
 * stdout, progress on stderr. Options ({@code --name value} or {@code BENCH_NAME}):
 * {@code models} ("demo,medium"), {@code max-tokens} (256), {@code rounds} (7),
 * {@code ttft-rounds} (5), {@code warmup} (2: the fewest warm-up rounds, each a full-length
 * generation and 10 short ones in every mode), {@code warmup-seconds} (60: warm-up rounds go on
 * until this long has passed, so that the JIT of all three JVMs has compiled the token path and
 * the per-request path, as in daemons that have run a while), {@code prompt}, {@code device}
 * ("cpu"; a {@code cuda:N} device needs {@code RBEE_LLAMA_LIB_DIR}, for the workers and the
 * reference alike), {@code threads} (llama.cpp's threads for the workers and the reference alike;
 * default half the cores, as a hive's), {@code work}, {@code keep}.
 */
public final class InferenceBench {
  private static final List<String> QUEENS = List.of("distributed", "integrated");
  /** Short generations (8 tokens) in each mode after a warm-up round's full-length one. */
  private static final int BRIEF_WARMUPS = 10;

  private InferenceBench() {}

  public static void main(String[] argv) {
    BenchArgs.runMain("inference-bench", argv, InferenceBench::measure);
  }

  private static void measure(String[] argv) throws Exception {
    System.setProperty("logback.configurationFile", BenchArgs.LOGBACK);
    PrintStream out = BenchArgs.reportStream();
    BenchArgs args;
    List<BenchModel> models;
    String device;
    try {
      args = BenchArgs.parse(argv, Set.of("models", "max-tokens", "rounds", "ttft-rounds",
          "warmup", "warmup-seconds", "prompt", "device", "threads", "work", "keep"),
          System.getenv());
      models = Arrays.stream(args.string("models", "demo,medium").split(","))
          .map(String::strip).filter(s -> !s.isEmpty()).map(BenchModel::named).toList();
      device = args.string("device", "cpu");
      new Operation.WorkerSpawn("localhost", "any", device).validate();
      DirectLlama.checkLibrary(device);
    } catch (IllegalArgumentException | InvalidOperationException e) {
      System.err.println("inference-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    int maxTokens = args.integer("max-tokens", 256, 1, Operation.Infer.MAX_TOKENS_LIMIT);
    int rounds = args.integer("rounds", 7, 1, 1000);
    int ttftRounds = args.integer("ttft-rounds", 5, 0, 1000);
    int warmup = args.integer("warmup", 2, 1, 100_000);
    Duration warmupTime = Duration.ofSeconds(args.integer("warmup-seconds", 60, 0, 3600));
    String prompt = args.string("prompt", "Once upon a time");
    // the workers and the direct reference compute with the same, explicit thread count
    int threads = args.integer("threads", LlamaThreads.machineDefault(), LlamaThreads.MIN,
        LlamaThreads.MAX);

    Workspace work = Workspace.create("inference", args);
    DirectLlama.prepare(Files.createDirectories(work.resolve("native")), device);
    String loadBefore = Machine.loadAverage();
    InferenceReport report = new InferenceReport();
    boolean ok = false;
    try (FileServer files = FileServer.start();
        Daemon distributed = Daemon.queen(work.resolve("distributed"));
        Daemon integrated = Daemon.queen(work.resolve("integrated"), "--local-hive")) {
      Map<String, Daemon> queens = Map.of("distributed", distributed, "integrated", integrated);
      QueenJobs.run(distributed.client(), new Operation.HiveStart("localhost", FreePorts.next()));
      Map<BenchModel, Path> modelFiles = new LinkedHashMap<>();
      Map<BenchModel, String> ids = new LinkedHashMap<>();
      Path modelDir = Files.createDirectories(work.resolve("models"));
      for (BenchModel m : models) {
        Path file = m.write(modelDir);
        modelFiles.put(m, file);
        ids.put(m, install(queens, m.builtIn() ? "demo" : QueenJobs.serve(files, file), device,
            threads));
        log("model " + m.name() + ": " + ids.get(m) + " (" + Files.size(file) / 1024
            + " KiB), a worker on " + device + " in each mode");
      }
      for (BenchModel m : models) {
        Operation.Infer req = greedy(ids.get(m), prompt, maxTokens);
        try (DirectLlama direct = new DirectLlama(modelFiles.get(m), device, threads)) {
          measureModel(m, req, direct, queens, warmup, warmupTime, rounds, report);
        }
      }
      for (int round = 1; round <= ttftRounds; round++) {
        measureFirstByte(round, work, queens, ids.get(models.get(0)), prompt, maxTokens,
            report);
      }
      ok = true;
    } finally {
      if (ok) {
        work.cleanUp();
      } else {
        System.err.println("inference-bench: failed; logs kept in " + work.dir());
      }
    }
    out.print(report.render(models, prompt, maxTokens, rounds, ttftRounds,
        device + " with " + threads + " llama.cpp thread(s) in every mode", loadBefore));
    out.flush();
    System.exit(0);
  }

  /**
   * Warm-ups (at least {@code warmup} rounds, and until {@code warmupTime} has passed), then
   * {@code rounds} rounds of direct, distributed and integrated, interleaved.
   */
  private static void measureModel(BenchModel m, Operation.Infer req, DirectLlama direct,
      Map<String, Daemon> queens, int warmup, Duration warmupTime, int rounds,
      InferenceReport report) throws Exception {
    // a full generation warms the token path; the short ones the per-request path (HTTP, job,
    // routing), which a generation runs once and a long-running daemon has run many times
    Operation.Infer brief = greedy(req.model(), req.prompt(), Math.min(8, req.maxTokens()));
    long warmUntil = System.nanoTime() + warmupTime.toNanos();
    int warmed = 0;
    while (warmed < warmup || System.nanoTime() < warmUntil) {
      for (int i = 0; i <= BRIEF_WARMUPS; i++) {
        Operation.Infer r = i == 0 ? req : brief;
        direct.generate(r);
        for (String q : QUEENS) {
          QueenInference.run(queens.get(q).client(), r);
        }
      }
      warmed++;
    }
    report.warmedUp(m, warmed);
    log(m.name() + ": " + warmed + " warm-up rounds");
    Map<String, Integer> tokensIn = new HashMap<>(); // first event's text → its tokens
    for (int round = 1; round <= rounds; round++) {
      for (String mode : Rounds.rotated(InferenceReport.MODES, round)) {
        Generation g = mode.equals("direct") ? direct.generate(req)
            : QueenInference.run(queens.get(mode).client(), req,
                text -> tokensIn.computeIfAbsent(text, t -> direct.tokensIn(req, t)));
        report.add(m, mode, g);
        log(String.format("%s round %d %-11s %3d tokens, %7.1f tok/s first→last,"
                + " %7.1f tok/s whole, first token %6.1f ms (%d tokens; route %.1f ms,"
                + " worker start %.1f ms)", m.name(), round, mode, g.tokens(), g.streamRate(),
            g.wholeRate(), g.firstTokenMs(), g.firstTokens(), g.routedMs(), g.workerStartMs()));
      }
    }
  }

  /** One round of {@code rbee --version} and {@code rbee infer} against each queen. */
  private static void measureFirstByte(int round, Workspace work, Map<String, Daemon> queens,
      String model, String prompt, int maxTokens, InferenceReport report) throws Exception {
    if (round == 1) {
      KeeperLaunch.run(work.resolve("distributed"), "--version"); // warms the page cache
    }
    report.addVersion(KeeperLaunch.run(work.resolve("distributed"), "--version").firstByteMs());
    for (String mode : Rounds.rotated(QUEENS, round)) {
      KeeperLaunch.Result r = KeeperLaunch.run(work.resolve(mode), "--queen-url",
          queens.get(mode).url(), "infer", "--model", model, "--temperature", "0", "--seed",
          "1", "--max-tokens", String.valueOf(maxTokens), prompt);
      report.addKeeper(mode, r.firstByteMs());
      log(String.format("rbee infer (%s) round %d: first stdout byte after %.0f ms", mode,
          round, r.firstByteMs()));
    }
  }

  static Operation.Infer greedy(String model, String prompt, int maxTokens) {
    return new Operation.Infer(null, model, prompt, maxTokens, 0.0, null, null, 1L, List.of());
  }

  /**
   * Downloads {@code source} into each queen's hive {@code localhost} and spawns a worker for
   * it on {@code device}; returns the model id.
   */
  private static String install(Map<String, Daemon> queens, String source, String device,
      int threads)
      throws Exception {
    String id = null;
    for (String q : QUEENS) {
      JobClient queen = queens.get(q).client();
      id = QueenJobs.download(queen, source);
      long start = System.nanoTime();
      QueenJobs.run(queen, new Operation.WorkerSpawn("localhost", id, device, threads));
      log(q + ": worker for " + id + " ready in " + (System.nanoTime() - start) / 1_000_000
          + " ms");
    }
    return id;
  }

  private static void log(String line) {
    System.err.println("inference-bench: " + line);
  }
}
