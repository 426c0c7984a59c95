package io.rbee.bench.fanout;

import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.bench.relay.Processes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code io.rbee.bench.FanoutFloor} as its own process on a free loopback port, relaying jobs
 * of the queen at {@code queenUrl}; {@link #close()} stops it.
 */
final class FloorProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private FloorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static FloorProcess start(String queenUrl, AccessToken token, Path log) throws IOException {
    int port = FreePorts.next();
    Process p = JvmLauncher.of("io.rbee.bench.FanoutFloor")
        .arg("--port", String.valueOf(port), "--queen", queenUrl)
        .env(TokenFile.ENV, token.value())
        .logTo(log)
        .start();
    FloorProcess floor = new FloorProcess(p, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        floor.get("/count/none");
        return floor;
      } catch (ConnectException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          floor.close();
          throw new IOException("the fan-out floor did not start; see " + log);
        }
        try {
          Thread.sleep(50); // polling its port: it has nothing to wait on
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while starting the floor", ie);
        }
      }
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** How many streams of queen job {@code jobId} it has open. */
  int followers(String jobId) throws IOException {
    return Integer.parseInt(get("/count/" + jobId).trim());
  }

  /** Starts relaying queen job {@code jobId} to its streams. */
  void go(String jobId) throws IOException {
    get("/go/" + jobId);
  }

  private String get(String path) throws IOException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    Processes.awaitOrKill(process, Duration.ofSeconds(10));
  }
}
