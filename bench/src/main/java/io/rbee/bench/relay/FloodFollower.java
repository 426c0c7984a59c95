package io.rbee.bench.relay;

import io.rbee.bench.report.Samples;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * The measuring follower of one flood job: opens the job's stream, then lets the flood start,
 * and notes the wall-clock arrival of every narration as it is read. Parsing and checking
 * happen after {@code done}, so the read loop costs as little as a plain follower's.
 */
public final class FloodFollower {
  /** Lets the flood start once the stream is open (a {@code POST /flood/go}). */
  @FunctionalInterface
  public interface Start {
    void start() throws IOException, InterruptedException;
  }

  private FloodFollower() {}

  /**
   * Follows {@code jobId} through {@code client} to its {@code done} and returns what arrived.
   * Throws {@link IllegalStateException} when the job did not succeed or the flood events did
   * not all arrive exactly once, in order.
   */
  public static FloodRun follow(String path, JobClient client, String jobId, FloodPlan plan,
      Start start) throws JobClientException, IOException, InterruptedException {
    int capacity = plan.events() + 64;
    long[] arrival = new long[capacity];
    String[] data = new String[capacity];
    int n = 0;
    SseEvent done = null;
    try (JobStream stream = client.stream(jobId, 0)) {
      start.start();
      SseEvent e;
      while ((e = stream.next()) != null) {
        if (JobEvent.NARRATION.equals(e.event())) {
          if (n == capacity) {
            throw new IllegalStateException(path + ": more narration than expected");
          }
          arrival[n] = nowNanos();
          data[n++] = e.data();
        } else if (JobEvent.DONE.equals(e.event())) {
          done = e;
        }
      }
    }
    if (done == null) {
      throw new IllegalStateException(path + ": the stream of job " + jobId + " ended without"
          + " done");
    }
    Done d = Json.read(done.data(), Done.class);
    if (d.status() != JobStatus.SUCCEEDED) {
      throw new IllegalStateException(path + ": job " + jobId + " ended " + d.status() + ": "
          + d.error());
    }
    return measure(path, plan, arrival, data, n);
  }

  private static FloodRun measure(String path, FloodPlan plan, long[] arrival, String[] data,
      int n) {
    double[] latency = new double[plan.events()];
    int seen = 0;
    long firstEmit = 0;
    long lastEmit = 0;
    long lastArrival = 0;
    for (int i = 0; i < n; i++) {
      Narration e = Json.read(data[i], Narration.class);
      if (!Flood.ACTION.equals(e.action())) {
        continue; // the queen's own narration (hive_forward, ...)
      }
      seen++;
      if (!Integer.toString(seen).equals(e.target())) {
        throw new IllegalStateException(path + ": flood event " + seen + " expected, got "
            + e.target());
      }
      long emitted = epochNanos(Instant.parse(e.timestamp()));
      if (seen == 1) {
        firstEmit = emitted;
      }
      lastEmit = emitted;
      lastArrival = arrival[i];
      latency[seen - 1] = (arrival[i] - emitted) / 1e6;
    }
    if (seen != plan.events()) {
      throw new IllegalStateException(path + ": " + plan.events() + " flood events expected, "
          + seen + " arrived");
    }
    return new FloodRun(path, plan, seen, firstEmit, lastEmit, lastArrival,
        Samples.of(latency));
  }

  /** Now, as epoch nanoseconds of the wall clock (microsecond precision on Linux). */
  static long nowNanos() {
    return epochNanos(Instant.now());
  }

  static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
