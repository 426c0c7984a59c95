package io.rbee.keeper.workers;

import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.WorkerInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code rbee ps} shows: the workers that hold a model (starting, ready or stopping), one
 * line each, with whether they are busy, how long they have been idle and when they unload.
 * Idle times are the hive's last report plus the age of that report, so they are current to
 * within a load sample.
 */
public final class LoadedModels {
  /** The states in which a worker holds (or is about to hold, or still holds) its model. */
  static final Set<String> LOADED = Set.of("starting", "ready", "stopping");

  private LoadedModels() {}

  /** One line of the table, its idle time brought up to date. */
  record Row(String model, String hiveId, String workerId, String device, String state,
      Boolean busy, Integer queueDepth, Long idleMs, Long keepAliveMs, String unloads) {}

  /** The workers of {@code status} that hold a model, by hive, model and id (as reported). */
  public static List<WorkerInfo> loaded(ClusterStatus status) {
    List<WorkerInfo> out = new ArrayList<>();
    for (WorkerInfo w : status.workers() == null ? List.<WorkerInfo>of() : status.workers()) {
      if (LOADED.contains(w.state())) {
        out.add(w);
      }
    }
    out.sort(Comparator.comparing(WorkerInfo::hiveId,
            Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(WorkerInfo::model).thenComparing(WorkerInfo::workerId));
    return out;
  }

  /** The table's rows: {@link #loaded}, each idle time plus the age of its hive's report. */
  static List<Row> rows(ClusterStatus status) {
    Map<String, Long> beatAge = new HashMap<>();
    for (HiveInfo h : status.hives() == null ? List.<HiveInfo>of() : status.hives()) {
      if (h.lastBeatMsAgo() != null) {
        beatAge.put(h.hiveId(), h.lastBeatMsAgo());
      }
    }
    List<Row> rows = new ArrayList<>();
    for (WorkerInfo w : loaded(status)) {
      Long idle = w.idleMs();
      if (idle != null && idle > 0) {
        idle += beatAge.getOrDefault(w.hiveId(), 0L);
      }
      rows.add(new Row(w.model(), w.hiveId(), w.workerId(), w.device(), w.state(), w.busy(),
          w.queueDepth(), idle, w.keepAliveMs(), unloads(w.state(), idle, w.keepAliveMs())));
    }
    return rows;
  }

  /**
   * When a worker unloads: {@code in 4m12s}, {@code never}, {@code after this request}
   * (keep-alive 0, a job runs), {@code 5m after this request}, {@code now} (stopping, or due at
   * the hive's next sample); {@code -} when not known (starting, or no report yet).
   */
  static String unloads(String state, Long idleMs, Long keepAliveMs) {
    if ("stopping".equals(state)) {
      return "now";
    }
    if (!"ready".equals(state) || idleMs == null || keepAliveMs == null) {
      return "-";
    }
    if (keepAliveMs < 0) {
      return "never";
    }
    if (idleMs == 0) { // a job runs or waits there: the keep-alive counts from its end
      return keepAliveMs == 0 ? "after this request"
          : new KeepAlive(keepAliveMs) + " after this request";
    }
    long left = keepAliveMs - idleMs;
    return left <= 0 ? "now" : "in " + compact(left);
  }

  /** The table of {@code status}'s loaded workers; a line saying so when there are none. */
  public static void print(ClusterStatus status, PrintWriter out) {
    List<Row> rows = rows(status);
    if (rows.isEmpty()) {
      out.println("No model is loaded (a request loads its model on a hive that has it).");
      return;
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"MODEL", "HIVE", "WORKER", "DEVICE", "STATE", "LOAD", "IDLE",
        "UNLOADS"});
    for (Row r : rows) {
      lines.add(new String[] {r.model(), r.hiveId(), r.workerId(), r.device(), r.state(),
          load(r), r.idleMs() == null || r.idleMs() == 0 ? "-" : compact(r.idleMs()),
          r.unloads()});
    }
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], String.valueOf(line[i]).length());
      }
    }
    for (String[] line : lines) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        String cell = String.valueOf(line[i]);
        sb.append(i == line.length - 1 ? cell : cell + " ".repeat(widths[i] - cell.length() + 2));
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static String load(Row r) {
    if (r.busy() == null) {
      return "-";
    }
    int waiting = r.queueDepth() == null ? 0 : r.queueDepth();
    if (r.busy() || waiting > 0) {
      return waiting > 0 ? "busy, " + waiting + " waiting" : "busy";
    }
    return "idle";
  }

  /** {@code 12s}, {@code 4m12s}, {@code 4m}, {@code 1h5m}. */
  static String compact(long ms) {
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    long m = s / 60;
    s %= 60;
    if (m < 60) {
      return m + "m" + (s > 0 ? s + "s" : "");
    }
    long h = m / 60;
    m %= 60;
    return h + "h" + (m > 0 ? m + "m" : "");
  }
}
