package io.rbee.bench.fanout;

import io.rbee.bench.relay.FloodHiveProcess;
import io.rbee.bench.relay.FloodPlan;
import io.rbee.bench.relay.NginxProxy;
import io.rbee.bench.report.Samples;
import io.rbee.jobs.Operation;
import io.rbee.testkit.daemons.Daemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Runs one path at one follower count: a fresh queen job relaying a flood, {@code n}
 * followers attached before the flood starts, the server watched while they read.
 */
public final class FanoutTrial implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(2);

  private final Daemon queen;
  private final FloodHiveProcess hive;
  private final NginxProxy nchan;
  private final FloorProcess floor;
  private final FloodPlan plan;
  private final HttpClient http = HttpClient.newHttpClient();
  private int channels;

  public FanoutTrial(Daemon queen, FloodHiveProcess hive, NginxProxy nchan, FloodPlan plan,
      java.nio.file.Path floorLog) throws java.io.IOException {
    this.queen = queen;
    this.hive = hive;
    this.nchan = nchan;
    this.plan = plan;
    this.floor = FloorProcess.start(queen.url(), queen.token(), floorLog);
  }

  /** One run of {@code path} ("queen", "nchan" or "floor") with {@code n} followers. */
  public FanoutRun run(String path, int n) throws Exception {
    String jobId = queen.client().submit(new Operation.HiveCheck("localhost")).jobId();
    boolean viaQueen = path.equals("queen");
    boolean viaFloor = path.equals("floor");
    String channel = "c" + (++channels);
    long start = System.nanoTime();
    try (SseFollowers followers = viaQueen
        ? SseFollowers.open(n, "127.0.0.1", queen.port(), "/v1/jobs/" + jobId + "/stream",
            queen.token().authorization(), plan.events())
        : viaFloor
        ? SseFollowers.open(n, "127.0.0.1", floor.port(), "/sub/" + jobId, null, plan.events())
        : SseFollowers.open(n, "127.0.0.1", nchan.port(), "/sub/" + channel, null,
            plan.events())) {
      int connected = followers.awaitConnected(CONNECT_TIMEOUT);
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      if (viaFloor) {
        awaitFloorFollowers(jobId, connected);
        floor.go(jobId);
      } else if (!viaQueen) {
        awaitSubscribers(channel, connected);
      }
      NchanPublisher publisher = viaQueen || viaFloor ? null
          : new NchanPublisher(queen.client(), jobId, nchan.url(), channel);
      try (HealthProbe health = new HealthProbe("127.0.0.1", queen.port(), 100);
          ServerSampler server = viaQueen
              ? new ServerSampler(() -> ProcStatus.rssBytes(queen.pid()),
                  () -> ProcStatus.threads(queen.pid()))
              : viaFloor
              ? new ServerSampler(() -> ProcStatus.rssBytes(floor.pid()),
                  () -> ProcStatus.threads(floor.pid()))
              : new ServerSampler(nchan::rssBytes, () -> 1)) {
        hive.go(plan);
        long budget = (long) (plan.events() * 1000.0 / plan.rate()) + 120_000;
        followers.awaitFinished(Duration.ofMillis(budget));
        long heap = viaQueen ? HeapProbe.usedBytes(queen.pid()) : -1;
        if (publisher != null) {
          publisher.awaitEnd(30_000);
        }
        Samples latency = Samples.of(followers.latenciesMs());
        Samples healthMs = Samples.of(health.latenciesMs());
        return new FanoutRun(path, n, connected, followers.complete(), connectSeconds,
            latency.percentile(50), latency.percentile(99), server.peakRss(),
            server.peakThreads(), heap, healthMs.percentile(50), healthMs.max());
      } finally {
        if (publisher != null) {
          publisher.close();
        }
      }
    }
  }

  /** The floor counts its streams; it relays only once all of them are open. */
  private void awaitFloorFollowers(String jobId, int n) throws Exception {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    while (floor.followers(jobId) < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the floor did not count " + n + " streams of " + jobId);
      }
      Thread.sleep(50); // polling the floor's counter, as nchan's below
    }
  }

  @Override
  public void close() {
    floor.close();
  }

  /** nchan counts its subscribers; the flood starts only once all of them listen. */
  private void awaitSubscribers(String channel, int n) throws Exception {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    URI info = URI.create(nchan.url() + "/pub/" + channel);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(info)
          .header("Accept", "text/json").GET().build(), HttpResponse.BodyHandlers.ofString());
      String body = r.body();
      int at = body.indexOf("\"subscribers\":");
      if (at >= 0) {
        String rest = body.substring(at + 14).trim();
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
          end++;
        }
        if (end > 0 && Integer.parseInt(rest.substring(0, end)) >= n) {
          return;
        }
      }
      Thread.sleep(50); // polling nchan's counter: it has no way to wait on it
    }
    throw new IllegalStateException("nchan did not count " + n + " subscribers on " + channel);
  }
}
