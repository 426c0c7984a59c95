package io.rbee.bench;

import io.rbee.bench.inference.BenchModel;
import io.rbee.bench.inference.DirectLlama;
import io.rbee.bench.inference.Generation;
import io.rbee.bench.inference.OpenAiChat;
import io.rbee.bench.inference.QueenInference;
import io.rbee.bench.report.Machine;
import io.rbee.bench.report.Samples;
import io.rbee.bench.report.Table;
import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.limits.LlamaThreads;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark: a streamed chat through the queen's OpenAI endpoint ({@code openai}: a queen and
 * a hive as separate processes, the worker spawned beforehand, an OpenAI-style client reading
 * {@code chat.completion.chunk}s) beside llama.cpp called directly on the prompt the model's
 * chat template makes of the same messages, the template applied on the clock as a server
 * applies it to each request ({@code direct}), in one run: the same model file,
 * greedy sampling and {@code max_tokens}. Reports tokens/s from the first token to the last
 * and the time to the first token, medians over the rounds, and the ratio and difference.
 * Modes alternate, in a different order each round.
 *
 * <p>Options ({@code --name value} or {@code BENCH_NAME}): {@code models} ("demo,medium"),
 * {@code max-tokens} (128), {@code rounds} (15), {@code warmup} (20: warm-up rounds of
 * {@value #WARMUP_TOKENS}-token generations, one through each mode), {@code threads},
 * {@code work}, {@code keep}.
 */
public final class OpenAiBench {
  private static final List<String> MODES = List.of("direct", "openai", "infer");
  /** Tokens of each warm-up generation (at most {@code max-tokens}). */
  private static final int WARMUP_TOKENS = 8;
  private static final String MESSAGES = "[{\"role\": \"system\", \"content\": \"You tell"
      + " short stories.\"}, {\"role\": \"user\", \"content\": \"Once upon a time\"}]";

  private OpenAiBench() {}

  public static void main(String[] argv) {
    BenchArgs.runMain("openai-bench", argv, OpenAiBench::measure);
  }

  private static void measure(String[] argv) throws Exception {
    System.setProperty("logback.configurationFile", BenchArgs.LOGBACK);
    PrintStream out = BenchArgs.reportStream();
    BenchArgs args = BenchArgs.parse(argv, Set.of("models", "max-tokens", "rounds", "warmup",
        "threads", "work", "keep"), System.getenv());
    List<BenchModel> models = Arrays.stream(args.string("models", "demo,medium").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(BenchModel::named).toList();
    int maxTokens = args.integer("max-tokens", 128, 1, Operation.Infer.MAX_TOKENS_LIMIT);
    int rounds = args.integer("rounds", 15, 1, 1000);
    int warmup = args.integer("warmup", 20, 0, 10_000);
    int threads = args.integer("threads", LlamaThreads.machineDefault(), LlamaThreads.MIN,
        LlamaThreads.MAX);
    Workspace work = Workspace.create("openai", args);
    DirectLlama.prepare(Files.createDirectories(work.resolve("native")), "cpu");
    String loadBefore = Machine.loadAverage();
    Map<BenchModel, Map<String, List<Generation>>> results = new LinkedHashMap<>();
    boolean ok = false;
    try (FileServer files = FileServer.start(); Daemon queen = Daemon.queen(work.resolve("q"))) {
      JobClient client = queen.client();
      QueenJobs.run(client, new Operation.HiveStart("localhost", FreePorts.next()));
      OpenAiChat chat = new OpenAiChat(queen.url(), queen.token().value(), client);
      Path modelDir = Files.createDirectories(work.resolve("models"));
      for (BenchModel m : models) {
        Path file = m.write(modelDir);
        String id = QueenJobs.download(client,
            m.builtIn() ? "demo" : QueenJobs.serve(files, file));
        QueenJobs.run(client, new Operation.WorkerSpawn("localhost", id, "cpu", threads));
        try (DirectLlama direct = new DirectLlama(file, "cpu", threads)) {
          Operation.Infer req = new Operation.Infer(null, id, direct.chatPrompt(MESSAGES),
              maxTokens, 0.0, 1.0, 0, 1L, List.of());
          // the same chat through the queen's own job API: what the OpenAI layer adds to it
          Operation.Infer viaJobs = new Operation.Infer(null, id, null, maxTokens, 0.0, 1.0, 0,
              1L, List.of(), List.of(Json.read(MESSAGES, ChatMessage[].class)), null);
          Map<String, Integer> firstTokens = new HashMap<>();
          // warm-up: short generations through every measured mode, so that thousands of them
          // fit in a minute (the JIT needs the request path many times over; a token's path
          // gets its share from a few tokens each)
          int warmTokens = Math.min(maxTokens, WARMUP_TOKENS);
          Operation.Infer warmDirect = new Operation.Infer(null, id, req.prompt(), warmTokens,
              0.0, 1.0, 0, 1L, List.of());
          Operation.Infer warmJobs = new Operation.Infer(null, id, null, warmTokens, 0.0, 1.0,
              0, 1L, List.of(), viaJobs.messages(), null);
          for (int i = 0; i < warmup; i++) {
            direct.generateChat(MESSAGES, warmDirect);
            chat.run(id, MESSAGES, warmTokens, t -> 1);
            QueenInference.run(client, warmJobs, t -> 1);
          }
          Map<String, List<Generation>> byMode = new LinkedHashMap<>();
          for (int round = 1; round <= rounds; round++) {
            for (String mode : Rounds.rotated(MODES, round)) {
              Generation g = switch (mode) {
                case "direct" -> direct.generateChat(MESSAGES, req);
                case "infer" -> QueenInference.run(client, viaJobs,
                    t -> firstTokens.computeIfAbsent(t, x -> direct.tokensIn(req, x)));
                default -> chat.run(id, MESSAGES, maxTokens,
                    t -> firstTokens.computeIfAbsent(t, x -> direct.tokensIn(req, x)));
              };
              byMode.computeIfAbsent(mode, k -> new ArrayList<>()).add(g);
              log(String.format("%s round %d %-6s %3d tokens, %7.1f tok/s first→last,"
                  + " first token %6.2f ms", m.name(), round, mode, g.tokens(),
                  g.streamRate(), g.firstTokenMs()));
            }
          }
          results.put(m, byMode);
        }
      }
      ok = true;
    } finally {
      if (ok) {
        work.cleanUp();
      } else {
        System.err.println("openai-bench: failed; logs kept in " + work.dir());
      }
    }
    out.print(render(results, maxTokens, rounds, warmup, threads, loadBefore));
    out.flush();
    System.exit(0);
  }

  private static String render(Map<BenchModel, Map<String, List<Generation>>> results,
      int maxTokens, int rounds, int warmup, int threads, String loadBefore) {
    Table t = new Table("model", "direct tok/s", "openai tok/s", "ratio",
        "direct first token ms", "openai first token ms", "added (p50)",
        "job API first token ms", "job API added (p50)", "openai: → infer_route ms",
        "openai: → worker infer_start ms");
    results.forEach((m, byMode) -> {
      Samples directRate = Samples.of(byMode.get("direct").stream()
          .map(Generation::streamRate).toList());
      Samples openRate = Samples.of(byMode.get("openai").stream()
          .map(Generation::streamRate).toList());
      Samples directFirst = Samples.of(byMode.get("direct").stream()
          .map(Generation::firstTokenMs).toList());
      Samples openFirst = Samples.of(byMode.get("openai").stream()
          .map(Generation::firstTokenMs).toList());
      Samples jobFirst = Samples.of(byMode.get("infer").stream()
          .map(Generation::firstTokenMs).toList());
      t.row(m.name(), Table.medianRange(directRate, 1), Table.medianRange(openRate, 1),
          Table.ratio(openRate.median(), directRate.median()),
          Table.medianRange(directFirst, 2), Table.medianRange(openFirst, 2),
          Table.num(openFirst.median() - directFirst.median(), 2) + " ms",
          Table.medianRange(jobFirst, 2),
          Table.num(jobFirst.median() - directFirst.median(), 2) + " ms",
          Table.medianRange(Samples.of(byMode.get("openai").stream()
              .map(Generation::routedMs).toList()), 2),
          Table.medianRange(Samples.of(byMode.get("openai").stream()
              .map(Generation::workerStartMs).toList()), 2));
    });
    return "## Streamed chat: the queen's OpenAI endpoint vs llama.cpp direct\n\n"
        + Machine.describe() + "; load average before: " + loadBefore + ", after: "
        + Machine.loadAverage() + ". " + rounds + " rounds after " + warmup
        + " warm-up pairs, greedy, max_tokens " + maxTokens + ", cpu with " + threads
        + " llama.cpp thread(s); medians (range).\n\n" + t + "\n";
  }

  private static void log(String line) {
    System.err.println("openai-bench: " + line);
  }
}
