package io.rbee.bench.fanout;

import io.rbee.bench.report.Machine;
import io.rbee.bench.report.Samples;
import io.rbee.bench.report.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The fan-out benchmark's Markdown: per follower count, each path's medians over the rounds. */
public final class FanoutReport {
  /** The paths, in report order. */
  public static final List<String> PATHS = List.of("queen", "nchan", "floor");

  private final Map<Integer, Map<String, List<FanoutRun>>> runs = new LinkedHashMap<>();

  public void add(FanoutRun run) {
    runs.computeIfAbsent(run.followers(), k -> new LinkedHashMap<>())
        .computeIfAbsent(run.path(), k -> new ArrayList<>()).add(run);
  }

  public String render(int events, int rate, int rounds, int warmup, String loadBefore,
      String nginx) {
    StringBuilder out = new StringBuilder("## Fan-out: one job, thousands of followers\n\n");
    out.append(String.format("One queen job relays %,d flood narrations paced at %,d/s from a"
            + " flood hive; N followers read it. %d rounds per N (after %d warm-up rounds of each"
            + " path at the smallest N), paths interleaved; medians over the rounds (min–max)."
            + " Latency: the narration's emit timestamp to its arrival at a follower, over every"
            + " event of every follower.%n%n", events, rate, rounds, warmup));
    out.append("Machine: ").append(Machine.describe()).append("; ").append(nginx)
        .append(" with nchan; load average before ").append(loadBefore).append(", after ")
        .append(Machine.loadAverage()).append(".\n\n");
    out.append("Paths: **queen** — followers read the queen's job stream directly;"
        + " **nchan** — one follower of the queen's job publishes each event to nginx+nchan,"
        + " which fans it out to the followers (the reference); **floor** — one follower of"
        + " the queen's job hands each event's bytes to one writer thread per core of a bare"
        + " Java NIO server (`FanoutFloor`), which writes them to the followers' sockets: what"
        + " the writes alone cost on this machine.\n\n");
    Table t = new Table("followers", "path", "connected", "got every event", "connect s",
        "p50 ms", "p99 ms", "server RSS MiB", "server threads", "queen heap MiB",
        "queen /health p50 ms", "queen /health max ms");
    Table r = new Table("followers", "p50 queen ÷ nchan", "p99 queen ÷ nchan",
        "RSS queen ÷ nchan", "p50 queen ÷ floor", "p99 queen ÷ floor");
    for (var level : runs.entrySet()) {
      for (String path : PATHS) {
        List<FanoutRun> rs = level.getValue().getOrDefault(path, List.of());
        if (rs.isEmpty()) {
          continue;
        }
        t.row(String.format("%,d", level.getKey()), path,
            Table.medianRange(of(rs, FanoutRun::connected), 0),
            Table.medianRange(of(rs, FanoutRun::complete), 0),
            Table.medianRange(of(rs, FanoutRun::connectSeconds), 1),
            Table.medianRange(of(rs, FanoutRun::p50Ms), 1),
            Table.medianRange(of(rs, FanoutRun::p99Ms), 1),
            Table.medianRange(of(rs, x -> x.peakRssBytes() / 1048576.0), 0),
            Table.medianRange(of(rs, FanoutRun::peakThreads), 0),
            path.equals("queen") && rs.stream().allMatch(x -> x.heapUsedBytes() >= 0)
                ? Table.medianRange(of(rs, x -> x.heapUsedBytes() / 1048576.0), 0) : "–",
            Table.medianRange(of(rs, FanoutRun::healthP50Ms), 1),
            Table.medianRange(of(rs, FanoutRun::healthMaxMs), 1));
      }
      List<FanoutRun> q = level.getValue().getOrDefault("queen", List.of());
      List<FanoutRun> n = level.getValue().getOrDefault("nchan", List.of());
      List<FanoutRun> f = level.getValue().getOrDefault("floor", List.of());
      if (!q.isEmpty() && !n.isEmpty() && !f.isEmpty()) {
        r.row(String.format("%,d", level.getKey()),
            Table.ratio(of(q, FanoutRun::p50Ms).median(), of(n, FanoutRun::p50Ms).median()),
            Table.ratio(of(q, FanoutRun::p99Ms).median(), of(n, FanoutRun::p99Ms).median()),
            Table.ratio(of(q, x -> x.peakRssBytes()).median(),
                of(n, x -> x.peakRssBytes()).median()),
            Table.ratio(of(q, FanoutRun::p50Ms).median(), of(f, FanoutRun::p50Ms).median()),
            Table.ratio(of(q, FanoutRun::p99Ms).median(), of(f, FanoutRun::p99Ms).median()));
      }
    }
    out.append(t).append('\n').append("### Ratios (of the medians; lower is better)\n\n")
        .append(r);
    return out.toString();
  }

  private static Samples of(List<FanoutRun> rs, ToDoubleFunction<FanoutRun> f) {
    return Samples.of(rs.stream().mapToDouble(f).toArray());
  }
}
