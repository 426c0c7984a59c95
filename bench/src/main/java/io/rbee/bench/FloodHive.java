package io.rbee.bench;

import io.rbee.bench.relay.Flood;
import io.rbee.bench.relay.FloodPlan;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flood hive: a hive-shaped daemon for the relay benchmark. It serves the real job API
 * ({@link DaemonHttp} + {@link JobServer}, as every rbee daemon does), a hive's
 * {@code GET /health} and empty device/worker/model lists (so a queen adopts it with
 * {@code HiveStart{port}}), and runs {@code HiveCheck} as a {@link Flood} of narrations.
 *
 * <pre>
 * java io.rbee.bench.FloodHive --port 9100 [--bind 127.0.0.1] [--events 20000] [--rate 0]
 * POST /flood/go[?events=N&amp;rate=R]   lets the next HiveCheck job emit (defaults: the options)
 * </pre>
 *
 * <p>Options may also come from the environment ({@code BENCH_EVENTS}, {@code BENCH_RATE});
 * rate 0 emits as fast as possible. Runs until SIGTERM.
 */
public final class FloodHive {
  private FloodHive() {}

  public static void main(String[] argv) {
    BenchArgs args;
    FloodPlan defaults;
    int port;
    try {
      args = BenchArgs.parse(argv, Set.of("port", "bind", "events", "rate"), System.getenv());
      port = args.integer("port", 0, 0, 65535);
      defaults = new FloodPlan(args.integer("events", 20_000, 1, 10_000_000),
          args.integer("rate", 0, 0, 10_000_000));
    } catch (IllegalArgumentException e) {
      System.err.println("flood-hive: " + e.getMessage());
      System.exit(2);
      return;
    }
    Flood flood = new Flood(Duration.ofSeconds(30));
    JobServer jobs = new JobServer(JobServer.Options.of("hive", Set.of("HiveCheck")), flood);
    // the token of the queen that relays it (RBEE_TOKEN), as a real hive started by a queen
    AccessToken token = TokenFile.forDaemon(RbeeHome.resolve(), System.getenv());
    DaemonHttp http = new DaemonHttp("flood-hive", token, cfg -> {
      cfg.routes.get("/health", ctx -> ctx.json(health()));
      jobs.routes(cfg);
      cfg.routes.get("/v1/devices", ctx -> ctx.json(List.of()));
      cfg.routes.get("/v1/workers", ctx -> ctx.json(List.of()));
      cfg.routes.get("/v1/models", ctx -> ctx.json(List.of()));
      cfg.routes.post("/flood/go", ctx -> {
        FloodPlan plan = new FloodPlan(
            ctx.queryParamAsClass("events", Integer.class).getOrDefault(defaults.events()),
            ctx.queryParamAsClass("rate", Integer.class).getOrDefault(defaults.rate()));
        flood.go(plan);
        ctx.json(plan);
      });
    });
    try {
      http.start(args.string("bind", "127.0.0.1"), port);
    } catch (RuntimeException e) {
      System.err.println("flood-hive: cannot listen on port " + port + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      jobs.close();
      http.stop();
      Runtime.getRuntime().halt(0); // Javalin leaves non-daemon threads behind
    }, "flood-hive-shutdown"));
    System.out.println("flood-hive listening on " + http.baseUrl());
    System.out.flush();
  }

  private static Map<String, Object> health() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("hive_id", "localhost");
    return body;
  }
}
