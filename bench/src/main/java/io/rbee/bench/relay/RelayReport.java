package io.rbee.bench.relay;

import io.rbee.bench.report.Machine;
import io.rbee.bench.report.Samples;
import io.rbee.bench.report.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every measured flood of one relay benchmark run, by path ({@link #PATHS}), and the Markdown
 * report made of them: per path the medians over the rounds with their range, then the ratios
 * C/B and C/A of those medians. Not thread-safe.
 */
public final class RelayReport {
  /** A: follower on the hive; B: through nginx; C: through the queen. */
  public static final List<String> PATHS = List.of("direct", "nginx", "queen");
  /** {@link #PATHS} and C-off: through a second queen that keeps no job history. */
  public static final List<String> PATHS_WITH_HISTORY_OFF =
      List.of("direct", "nginx", "queen", "queen-nohist");

  private final List<String> paths;
  private final Map<String, List<FloodRun>> bursts = new LinkedHashMap<>();
  private final Map<String, List<FloodRun>> paced = new LinkedHashMap<>();

  public RelayReport() {
    this(PATHS);
  }

  /** A report of {@code paths} ({@link #PATHS} or {@link #PATHS_WITH_HISTORY_OFF}). */
  public RelayReport(List<String> paths) {
    this.paths = List.copyOf(paths);
    this.paths.forEach(p -> {
      bursts.put(p, new ArrayList<>());
      paced.put(p, new ArrayList<>());
    });
  }

  /** Records one round of {@code path}: its burst and its paced run. */
  public void add(String path, FloodRun burst, FloodRun pacedRun) {
    bursts.get(path).add(burst);
    paced.get(path).add(pacedRun);
  }

  /** The report of the runs recorded so far. */
  public String render(FloodPlan burst, FloodPlan pacedPlan, int rounds, int warmup,
      String loadBefore, String nginxVersion) {
    StringBuilder out = new StringBuilder();
    out.append("## Narration relay: hive → follower\n\n");
    out.append(String.format("Burst of %,d narrations, then %,d paced at %,d/s; %d rounds"
            + " (after %d warm-up), paths interleaved. Median over the rounds (min–max).%n%n",
        burst.events(), pacedPlan.events(), pacedPlan.rate(), rounds, warmup));
    out.append("Machine: ").append(Machine.describe()).append("; ").append(nginxVersion)
        .append("; load average before ").append(loadBefore).append(", after ")
        .append(Machine.loadAverage()).append(".\n\n");

    Table b = new Table("path", "events/s (end to end)", "hive emit rate, events/s",
        "p50 ms", "p90 ms", "p99 ms");
    for (String path : paths) {
      List<FloodRun> runs = bursts.get(path);
      b.row(name(path), Table.medianRange(of(runs, FloodRun::throughput), 0),
          Table.medianRange(of(runs, FloodRun::emitRate), 0),
          Table.medianRange(of(runs, r -> r.latencyMs().percentile(50)), 1),
          Table.medianRange(of(runs, r -> r.latencyMs().percentile(90)), 1),
          Table.medianRange(of(runs, r -> r.latencyMs().percentile(99)), 1));
    }
    out.append(String.format("### Burst (%,d events as fast as the hive emits)%n%n",
        burst.events())).append(b).append('\n');

    Table p = new Table("path", "p50 ms", "p90 ms", "p99 ms", "max ms");
    for (String path : paths) {
      List<FloodRun> runs = paced.get(path);
      p.row(name(path), Table.medianRange(of(runs, r -> r.latencyMs().percentile(50)), 3),
          Table.medianRange(of(runs, r -> r.latencyMs().percentile(90)), 3),
          Table.medianRange(of(runs, r -> r.latencyMs().percentile(99)), 3),
          Table.medianRange(of(runs, r -> r.latencyMs().max()), 2));
    }
    out.append(String.format("### Paced (%,d events at %,d/s): latency emit → follower%n%n",
        pacedPlan.events(), pacedPlan.rate())).append(p).append('\n');

    boolean off = paths.contains("queen-nohist");
    Table r = off
        ? new Table("metric", "C/B (queen ÷ nginx)", "C/A (queen ÷ direct)",
            "C/C-off (history on ÷ off)")
        : new Table("metric", "C/B (queen ÷ nginx)", "C/A (queen ÷ direct)");
    ratio(r, "burst events/s (higher is better)", bursts, FloodRun::throughput);
    ratio(r, "burst p50 latency (lower is better)", bursts, x -> x.latencyMs().percentile(50));
    ratio(r, "burst p99 latency", bursts, x -> x.latencyMs().percentile(99));
    ratio(r, "paced p50 latency", paced, x -> x.latencyMs().percentile(50));
    ratio(r, "paced p99 latency", paced, x -> x.latencyMs().percentile(99));
    out.append("### Ratios (of the medians)\n\n").append(r);
    return out.toString();
  }

  private static void ratio(Table t, String metric, Map<String, List<FloodRun>> runs,
      ToDoubleFunction<FloodRun> f) {
    double queen = of(runs.get("queen"), f).median();
    if (runs.containsKey("queen-nohist")) {
      t.row(metric, Table.ratio(queen, of(runs.get("nginx"), f).median()),
          Table.ratio(queen, of(runs.get("direct"), f).median()),
          Table.ratio(queen, of(runs.get("queen-nohist"), f).median()));
      return;
    }
    t.row(metric, Table.ratio(queen, of(runs.get("nginx"), f).median()),
        Table.ratio(queen, of(runs.get("direct"), f).median()));
  }

  private static Samples of(List<FloodRun> runs, ToDoubleFunction<FloodRun> f) {
    return Samples.of(runs.stream().mapToDouble(f).toArray());
  }

  private static String name(String path) {
    return switch (path) {
      case "direct" -> "A direct (no relay)";
      case "nginx" -> "B nginx (proxy_buffering off)";
      case "queen-nohist" -> "C-off queen (Relay, job history off)";
      default -> "C queen (Relay, job history on)";
    };
  }
}
