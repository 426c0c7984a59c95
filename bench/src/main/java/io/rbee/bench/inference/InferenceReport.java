package io.rbee.bench.inference;

import io.rbee.bench.report.Machine;
import io.rbee.bench.report.Samples;
import io.rbee.bench.report.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Every measurement of one inference benchmark run, by model and mode ({@link #MODES}), and the
 * Markdown report made of them: medians with their range, ratios to llama.cpp direct, and the
 * time-to-first-token table. Not thread-safe.
 */
public final class InferenceReport {
  /** The modes compared, in report order: the reference first. */
  public static final List<String> MODES = List.of("direct", "distributed", "integrated");

  private final Map<String, List<Generation>> generations = new LinkedHashMap<>();
  private final Map<String, List<Double>> keeper = new LinkedHashMap<>();
  private final List<Double> version = new ArrayList<>();
  private final Map<String, Integer> warmUps = new LinkedHashMap<>();

  /** Records that {@code m} was measured after {@code rounds} warm-up rounds. */
  public void warmedUp(BenchModel m, int rounds) {
    warmUps.put(m.name(), rounds);
  }

  /** Records one generation of {@code m} in {@code mode}. */
  public void add(BenchModel m, String mode, Generation g) {
    generations.computeIfAbsent(m.name() + "/" + mode, k -> new ArrayList<>()).add(g);
  }

  /** Records one {@code rbee infer} launch against the {@code mode} queen. */
  public void addKeeper(String mode, double firstByteMs) {
    keeper.computeIfAbsent(mode, k -> new ArrayList<>()).add(firstByteMs);
  }

  /** Records one {@code rbee --version} launch. */
  public void addVersion(double firstByteMs) {
    version.add(firstByteMs);
  }

  private Samples of(BenchModel m, String mode, ToDoubleFunction<Generation> f) {
    return Samples.of(generations.get(m.name() + "/" + mode).stream().mapToDouble(f)
        .toArray());
  }

  /** The report; {@code ttftRounds} 0 leaves out the time-to-first-token table. */
  public String render(List<BenchModel> models, String prompt, int maxTokens, int rounds,
      int ttftRounds, String device, String loadBefore) {
    StringBuilder out = new StringBuilder("## Inference: through the queen vs llama.cpp"
        + " direct\n\n");
    out.append(String.format("Prompt \"%s\", temperature 0, seed 1, max_tokens %d, device %s;"
            + " workers spawned beforehand, warm-up generations in every mode (rounds: %s), then"
            + " %d rounds per model, modes interleaved. Median over the rounds (min–max).%n%n",
        prompt, maxTokens, device, warmUps.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
        rounds));
    out.append("Machine: ").append(Machine.describe()).append("; load average before ")
        .append(loadBefore).append(", after ").append(Machine.loadAverage()).append(".\n\n");
    for (BenchModel m : models) {
      Table t = new Table("mode", "tokens", "tok/s first → last token",
          "tok/s start → end", "first token ms", "same text as direct");
      String directText = generations.get(m.name() + "/direct").get(0).text();
      for (String mode : MODES) {
        List<Generation> runs = generations.get(m.name() + "/" + mode);
        boolean same = runs.stream().allMatch(g -> g.text().equals(directText));
        t.row(label(mode), Table.num(of(m, mode, Generation::tokens).median(), 0),
            Table.medianRange(of(m, mode, Generation::streamRate), 1),
            Table.medianRange(of(m, mode, Generation::wholeRate), 1),
            Table.medianRange(of(m, mode, Generation::firstTokenMs), 2),
            mode.equals("direct") ? "–" : same ? "yes" : "NO");
      }
      out.append("### Model ").append(m.name()).append(" (")
          .append(m.spec().embd()).append(" embd, ").append(m.spec().layers())
          .append(" layers, random weights)\n\n").append(t).append('\n');
      Table r = new Table("ratio", "distributed ÷ direct", "integrated ÷ direct");
      ratio(r, m, "tok/s first → last token", Generation::streamRate);
      ratio(r, m, "tok/s start → end", Generation::wholeRate);
      ratio(r, m, "first token ms", Generation::firstTokenMs);
      out.append(r).append('\n');
    }
    if (ttftRounds > 0) {
      Table t = new Table("time to first token (model " + models.get(0).name() + ")",
          "median ms (min–max)");
      t.row("`rbee --version`: JVM start-up + CLI, no request",
          Table.medianRange(Samples.of(version), 0));
      for (String mode : List.of("distributed", "integrated")) {
        t.row("`rbee infer` start → first byte on stdout, " + mode,
            Table.medianRange(Samples.of(keeper.get(mode)), 0));
      }
      for (String mode : List.of("distributed", "integrated")) {
        BenchModel m = models.get(0);
        t.row("POST /v1/jobs → first `token` event (JobClient), " + mode,
            Table.medianRange(of(m, mode, Generation::firstTokenMs), 2));
        t.row("↳ of which until the queen's `infer_route` (worker chosen), " + mode,
            Table.medianRange(of(m, mode, Generation::routedMs), 2));
        t.row("↳ of which until the worker's `infer_start`, " + mode,
            Table.medianRange(of(m, mode, Generation::workerStartMs), 2));
      }
      t.row("llama.cpp direct: generate() → first token",
          Table.medianRange(of(models.get(0), "direct", Generation::firstTokenMs), 2));
      out.append("### Time to first token, worker already running (")
          .append(ttftRounds).append(" runs each)\n\n").append(t);
    }
    return out.toString();
  }

  private void ratio(Table t, BenchModel m, String metric, ToDoubleFunction<Generation> f) {
    double direct = of(m, "direct", f).median();
    t.row(metric, Table.ratio(of(m, "distributed", f).median(), direct),
        Table.ratio(of(m, "integrated", f).median(), direct));
  }

  private static String label(String mode) {
    return switch (mode) {
      case "direct" -> "llama.cpp direct (this JVM)";
      case "distributed" -> "queen + hive + worker (distributed)";
      default -> "queen --local-hive + worker (integrated)";
    };
  }
}
