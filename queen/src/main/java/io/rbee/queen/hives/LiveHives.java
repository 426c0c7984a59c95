package io.rbee.queen.hives;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.narration.Narrator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The queen's live registry: the newest heartbeat of every hive that beats to this queen, with
 * its arrival time. Scheduling and status read it instead of asking hives.
 *
 * <p>A hive is <em>stale</em> once no beat arrived for its stale time (the queen's
 * {@code --hive-stale-ms}, else 3 × the {@code interval_ms} the hive beats at): it gets no new
 * work, and every job relayed from it that asked to be told ({@link #watch}) fails with
 * {@code hive_stale} naming it. A beat from a stale hive makes it fresh again. Both turns are
 * narrated without a job ({@code hive_stale}, {@code hive_back}: the queen's log). A sweeper
 * (one virtual thread, every {@link #SWEEP}) notices the silence, so a hive is stale at most
 * one sweep after its stale time.
 *
 * <p>Thread-safe. Listeners ({@link #onChange}) run on the thread that made the change (a
 * beat's request, the sweeper) and must not block.
 */
public final class LiveHives implements AutoCloseable {
  /** How often the sweeper looks for hives that went silent. */
  public static final Duration SWEEP = Duration.ofMillis(50);

  /** Missed beats after which a hive is stale, unless the queen is told a time. */
  public static final int MISSED_BEATS = 3;

  private static final Narrator NARRATE = Narrator.of("queen");

  /** One hive's newest beat: when it arrived, and whether the hive went stale since. */
  public record Entry(HiveHeartbeat beat, long arrivedNanos, boolean stale, long staleAfterMs) {
    public String hiveId() {
      return beat.hiveId();
    }

    /** Milliseconds since the beat arrived. */
    public long ageMs() {
      return (System.nanoTime() - arrivedNanos) / 1_000_000;
    }

    /** {@code fresh} or {@code stale}. */
    public String liveness() {
      return stale ? "stale" : "fresh";
    }

    Entry withBeat(HiveHeartbeat b) {
      return new Entry(b, arrivedNanos, stale, staleAfterMs);
    }
  }

  private final Duration staleAfter;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Set<CompletableFuture<OperationException>>> watchers =
      new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Thread sweeper;
  private volatile boolean closed;

  /** {@code staleAfter}: the time without a beat after which a hive is stale; null: 3 beats. */
  public LiveHives(Duration staleAfter) {
    this.staleAfter = staleAfter;
    this.sweeper = Thread.ofVirtual().name("live-hives-sweeper").start(this::sweepLoop);
  }

  /** The stale time of a hive that beats every {@code intervalMs}. */
  public long staleAfterMs(long intervalMs) {
    return staleAfter != null ? staleAfter.toMillis() : MISSED_BEATS * intervalMs;
  }

  /**
   * Takes a hive's beat: it becomes the hive's state, and the hive is fresh (narrated
   * {@code hive_registered} for a hive not seen before, {@code hive_back} for a stale one).
   */
  public HiveHeartbeat.Ack beat(HiveHeartbeat beat) {
    long staleMs = staleAfterMs(beat.intervalMs());
    Entry fresh = new Entry(beat, System.nanoTime(), false, staleMs);
    Entry before = entries.put(beat.hiveId(), fresh);
    if (before == null) {
      NARRATE.withoutJob("hive_registered").hiveId(beat.hiveId())
          .human("Hive {} beats to this queen from {} every {} ms ({} worker(s), {} model(s));"
              + " stale after {} ms without a beat", beat.hiveId(), beat.url(),
              beat.intervalMs(), beat.workers().size(), beat.models().size(), staleMs)
          .emit();
    } else if (before.stale()) {
      NARRATE.withoutJob("hive_back").hiveId(beat.hiveId())
          .human("Hive {} is back: a heartbeat arrived {} ms after the one before", beat.hiveId(),
              before.ageMs())
          .emit();
    }
    changed();
    return new HiveHeartbeat.Ack(beat.hiveId(), before != null, staleMs);
  }

  /**
   * Forgets {@code hiveId} (it was stopped on purpose): it is neither fresh nor stale until it
   * beats again. Jobs still watching it are not failed by this.
   */
  public void remove(String hiveId) {
    if (entries.remove(hiveId) != null) {
      changed();
    }
  }

  /** The newest beat of {@code hiveId}, if it ever beat to this queen. */
  public Optional<Entry> get(String hiveId) {
    return Optional.ofNullable(entries.get(hiveId));
  }

  /** Every hive that beat to this queen, fresh and stale. */
  public List<Entry> all() {
    return new ArrayList<>(entries.values());
  }

  /** True when {@code hiveId} beats and is not stale. */
  public boolean fresh(String hiveId) {
    Entry e = entries.get(hiveId);
    return e != null && !e.stale();
  }

  /**
   * Until the next beat says otherwise, lists {@code worker} in its hive's state (a spawn's
   * result, which may arrive before the beat that tells it).
   */
  public void noteWorker(WorkerInfo worker) {
    entries.computeIfPresent(worker.hiveId(), (id, e) -> e.withBeat(withWorkers(e.beat(),
        replace(e.beat().workers(), worker.workerId(), worker))));
    changed();
  }

  /**
   * Until the next beat says otherwise, lists {@code model} in {@code hiveId}'s catalog
   * ({@code present}) or not (a download's or a delete's result).
   */
  public void noteModel(String hiveId, ModelInfo model, boolean present) {
    entries.computeIfPresent(hiveId, (id, e) -> {
      List<ModelInfo> models = new ArrayList<>();
      for (ModelInfo m : e.beat().models()) {
        if (!m.id().equals(model.id())) {
          models.add(m);
        }
      }
      if (present) {
        models.add(model);
      }
      HiveHeartbeat b = e.beat();
      return e.withBeat(new HiveHeartbeat(b.hiveId(), b.url(), b.intervalMs(), b.sequence(),
          b.devices(), b.workers(), models));
    });
    changed();
  }

  /**
   * Until the next beat says otherwise, drops a worker the queen could not reach or that
   * went away mid-job, so no new work goes to it.
   */
  public void forgetWorker(String hiveId, String workerId) {
    entries.computeIfPresent(hiveId, (id, e) -> e.withBeat(withWorkers(e.beat(),
        replace(e.beat().workers(), workerId, null))));
    changed();
  }

  /**
   * Tells when {@code hiveId} goes stale: the future completes with the {@code hive_stale}
   * failure for a job on it (at once when the hive is stale already). Close the watch when the
   * job is over. A hive that never beat is never stale: its future never completes.
   */
  public Watch watch(String hiveId) {
    CompletableFuture<OperationException> f = new CompletableFuture<>();
    watchers.computeIfAbsent(hiveId, k -> ConcurrentHashMap.newKeySet()).add(f);
    Entry e = entries.get(hiveId);
    if (e != null && e.stale()) {
      f.complete(staleFailure(e));
    }
    return new Watch(hiveId, f);
  }

  /** A job's watch of one hive ({@link #watch}). */
  public final class Watch implements AutoCloseable {
    private final String hiveId;
    private final CompletableFuture<OperationException> stale;

    private Watch(String hiveId, CompletableFuture<OperationException> stale) {
      this.hiveId = hiveId;
      this.stale = stale;
    }

    /** Completes with the job's failure when the hive goes stale. */
    public CompletableFuture<OperationException> stale() {
      return stale;
    }

    @Override
    public void close() {
      Set<CompletableFuture<OperationException>> set = watchers.get(hiveId);
      if (set != null) {
        set.remove(stale);
      }
    }
  }

  /** Runs {@code listener} after every change (a beat, a hive gone stale); must not block. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The failure of a job on a stale hive: names the hive and how long it has been silent. */
  public static OperationException staleFailure(Entry e) {
    return new OperationException(ErrorKind.HIVE_STALE, "hive " + e.hiveId() + " stopped sending"
        + " heartbeats (the last one arrived " + e.ageMs() + " ms ago; it beats every "
        + e.beat().intervalMs() + " ms, stale after " + e.staleAfterMs() + " ms): it is frozen,"
        + " dead or cut off; its jobs are given up");
  }

  @Override
  public void close() {
    closed = true;
    sweeper.interrupt();
  }

  private void sweepLoop() {
    while (!closed) {
      try {
        Thread.sleep(SWEEP.toMillis()); // a periodic sweep, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
      sweep();
    }
  }

  /** Marks hives silent past their stale time stale, narrates it and fails their watchers. */
  void sweep() {
    for (Entry e : entries.values()) {
      if (e.stale() || e.ageMs() < e.staleAfterMs()) {
        continue;
      }
      Entry stale = new Entry(e.beat(), e.arrivedNanos(), true, e.staleAfterMs());
      if (!entries.replace(e.hiveId(), e, stale)) {
        continue; // a beat arrived meanwhile
      }
      NARRATE.withoutJob("hive_stale").hiveId(e.hiveId()).warn()
          .human("Hive {} is stale: no heartbeat for {} ms (it beats every {} ms); it gets no"
              + " new work and its jobs fail", e.hiveId(), stale.ageMs(), e.beat().intervalMs())
          .emit();
      Set<CompletableFuture<OperationException>> set = watchers.get(e.hiveId());
      if (set != null) {
        OperationException failure = staleFailure(stale);
        set.forEach(f -> f.complete(failure));
      }
      changed();
    }
  }

  private void changed() {
    for (Runnable l : listeners) {
      l.run();
    }
  }

  private static HiveHeartbeat withWorkers(HiveHeartbeat b, List<WorkerInfo> workers) {
    return new HiveHeartbeat(b.hiveId(), b.url(), b.intervalMs(), b.sequence(), b.devices(),
        workers, b.models());
  }

  private static List<WorkerInfo> replace(List<WorkerInfo> workers, String workerId,
      WorkerInfo with) {
    List<WorkerInfo> out = new ArrayList<>();
    boolean replaced = false;
    for (WorkerInfo w : workers) {
      if (w.workerId().equals(workerId)) {
        replaced = true;
        if (with != null) {
          out.add(with);
        }
      } else {
        out.add(w);
      }
    }
    if (!replaced && with != null) {
      out.add(with);
    }
    return out;
  }
}
