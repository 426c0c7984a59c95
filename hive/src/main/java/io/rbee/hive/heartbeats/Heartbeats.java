package io.rbee.hive.heartbeats;

import io.rbee.hive.Hive;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.WorkerInfo;
import io.rbee.narration.Narrator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hive's heartbeat loop: one virtual thread that sends the hive's whole state
 * ({@link HiveHeartbeat}) to a {@link BeatSink} every {@code interval}, and at once when a
 * worker's life changed (ready, failed, killed, exited), the catalog changed (a download or a
 * delete ended; both {@link Hive#onChange}), or a ready worker turned busy or idle. Busy and idle are read from the workers' {@code /health}
 * every {@link #SAMPLE} (one loopback request per ready worker), so a flip reaches the queen
 * within that time.
 *
 * <p>A sink that fails (the queen is down, restarting, unreachable) is tried again at every
 * interval for as long as the hive runs, so a queen that comes back hears the hive again by
 * itself. The outage is logged once when it starts and once when it ends, never per beat.
 *
 * <p>{@link #close()} stops the loop (it does not wait for a beat in flight). Thread-safe.
 */
public final class Heartbeats implements AutoCloseable {
  /** The interval a hive beats at unless told otherwise. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(2000);

  /** How often ready workers' load is read, to push busy/idle flips between beats. */
  public static final Duration SAMPLE = Duration.ofMillis(250);

  private static final Narrator NARRATE = Narrator.of(Hive.ACTOR);

  private final Hive hive;
  private final String hiveUrl;
  private final Duration interval;
  private final BeatSink sink;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition poked = lock.newCondition();
  private boolean poke;
  private volatile boolean closed;
  private final Thread thread;
  private long sequence;

  private Heartbeats(Hive hive, String hiveUrl, Duration interval, BeatSink sink) {
    this.hive = Objects.requireNonNull(hive, "hive");
    this.hiveUrl = Objects.requireNonNull(hiveUrl, "hiveUrl");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.thread = Thread.ofVirtual().name("heartbeats-" + hive.hiveId()).unstarted(this::loop);
  }

  /**
   * Starts beating {@code hive}'s state to {@code sink} every {@code interval}; the first beat
   * goes at once. {@code hiveUrl} is how the receiver reaches the hive.
   */
  public static Heartbeats start(Hive hive, String hiveUrl, Duration interval, BeatSink sink) {
    Heartbeats h = new Heartbeats(hive, hiveUrl, interval, sink);
    hive.onChange(h::changed);
    h.thread.start();
    return h;
  }

  /** Sends a beat now instead of at the next interval; never blocks. */
  public void changed() {
    lock.lock();
    try {
      poke = true;
      poked.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The beat interval: {@code optionMs} when given (the hive's {@code --heartbeat-ms}), else
   * {@code RBEE_HEARTBEAT_MS}, else {@link #DEFAULT_INTERVAL}. Throws
   * {@link IllegalArgumentException} naming a value out of 100..60000 ms.
   */
  public static Duration interval(Integer optionMs) {
    Integer ms = optionMs;
    String env = System.getenv("RBEE_HEARTBEAT_MS");
    if (ms == null && env != null && !env.isBlank()) {
      try {
        ms = Integer.valueOf(env.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("RBEE_HEARTBEAT_MS must be 100..60000, got \"" + env
            + "\"");
      }
    }
    if (ms == null) {
      return DEFAULT_INTERVAL;
    }
    if (ms < 100 || ms > 60_000) {
      throw new IllegalArgumentException("--heartbeat-ms must be 100..60000, got " + ms);
    }
    return Duration.ofMillis(ms);
  }

  public Duration interval() {
    return interval;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  private void loop() {
    long lastSent = System.nanoTime() - interval.toNanos(); // the first beat goes at once
    String lastShape = null;
    boolean down = false;
    int failed = 0;
    while (!closed) {
      try {
        long due = lastSent + interval.toNanos() - System.nanoTime();
        boolean wasPoked = awaitPoke(Math.min(SAMPLE.toNanos(), Math.max(0, due)));
        List<WorkerInfo> workers = hive.workersWithLoad();
        String shape = shape(workers);
        long now = System.nanoTime();
        if (!wasPoked && shape.equals(lastShape) && now - lastSent < interval.toNanos()) {
          continue;
        }
        lastSent = now;
        HiveHeartbeat beat = new HiveHeartbeat(hive.hiveId(), hiveUrl, interval.toMillis(),
            ++sequence, hive.devices(), workers, hive.models());
        try {
          sink.send(beat);
          lastShape = shape;
          if (down) {
            NARRATE.withoutJob("heartbeat_resumed").hiveId(hive.hiveId())
                .human("Heartbeats reach the {} again (after {} failed beat(s))",
                    sink.describe(), failed).emit();
          }
          down = false;
          failed = 0;
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          failed++;
          if (!down) {
            down = true;
            NARRATE.withoutJob("heartbeat_failed").hiveId(hive.hiveId()).warn()
                .human("Heartbeats do not reach the {} ({}); trying again every {} ms until"
                    + " they do", sink.describe(), e.getMessage(), interval.toMillis())
                .emit();
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the loop must outlive a bad read of the hive's state: the next beat tries again
        NARRATE.withoutJob("heartbeat_error").hiveId(hive.hiveId()).level(io.rbee.narration.Level.ERROR)
            .human("Could not build a heartbeat: {}", e.getMessage()).emit();
      }
    }
  }

  private boolean awaitPoke(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!poke && left > 0 && !closed) {
        left = poked.awaitNanos(left);
      }
      boolean was = poke;
      poke = false;
      return was;
    } finally {
      lock.unlock();
    }
  }

  /** What a change worth telling at once is made of: each worker's id, state and busy flag. */
  private static String shape(List<WorkerInfo> workers) {
    StringBuilder b = new StringBuilder();
    for (WorkerInfo w : workers) {
      b.append(w.workerId()).append(':').append(w.state()).append(':')
          .append(Boolean.TRUE.equals(w.busy())).append(';');
    }
    return b.toString();
  }
}
