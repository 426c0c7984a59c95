package io.rbee.bench.relay;

import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.testkit.daemons.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@code io.rbee.bench.FloodHive} started as its own process (same Java and classpath, like
 * every rbee daemon) on a free loopback port, logging to {@code log}. {@link #close()} stops it.
 */
public final class FloodHiveProcess implements AutoCloseable {
  static final String MAIN = "io.rbee.bench.FloodHive";

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AccessToken token;

  private FloodHiveProcess(Process process, int port, AccessToken token) {
    this.process = process;
    this.port = port;
    this.token = token;
  }

  /**
   * Starts the flood hive, requiring {@code token} (handed over in {@code RBEE_TOKEN}, as a
   * queen hands its hives theirs), and waits until {@code /health} answers.
   */
  public static FloodHiveProcess start(Path home, Path log, AccessToken token)
      throws IOException {
    int port = FreePorts.next();
    Process p = JvmLauncher.of(MAIN)
        // a real hive gets -Xmx512m; the flood keeps every job's history (about 6 MB per
        // 20,000-event burst) for 30 minutes, as a hive does, so it gets room for all runs
        .jvmArg("-Xmx1g")
        .arg("--port", String.valueOf(port), "--bind", "127.0.0.1")
        .env("RBEE_HOME", home.toString())
        .env(TokenFile.ENV, token.value())
        .logTo(log)
        .start();
    FloodHiveProcess hive = new FloodHiveProcess(p, port, token);
    hive.awaitHealthy(Duration.ofSeconds(60), log);
    return hive;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code POST /flood/go}: the next flood job runs {@code plan}. */
  public void go(FloodPlan plan) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/flood/go?events="
            + plan.events() + "&rate=" + plan.rate()))
        .header("Content-Type", "application/json") // every daemon refuses other POSTs
        .header("Authorization", token.authorization())
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("POST /flood/go answered " + r.statusCode() + ": " + r.body());
    }
  }

  private void awaitHealthy(Duration timeout, Path log) throws IOException {
    JobClient client = new JobClient(url(), token);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!client.healthy()) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IOException("the flood hive did not become healthy; see " + log);
        }
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the flood hive", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    Processes.awaitOrKill(process, Duration.ofSeconds(10));
  }
}
