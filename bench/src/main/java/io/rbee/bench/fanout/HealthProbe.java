package io.rbee.bench.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks a daemon's {@code GET /health} every {@code intervalMs} on a platform thread of its own
 * (not one of the followers' virtual threads, so its own scheduling stays out of the number),
 * and keeps each answer's latency. A request that fails or takes more than 10 s counts as
 * 10,000 ms.
 */
final class HealthProbe implements AutoCloseable {
  private final String host;
  private final int port;
  private final long intervalMs;
  private final List<Double> latenciesMs = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stop;

  HealthProbe(String host, int port, long intervalMs) {
    this.host = host;
    this.port = port;
    this.intervalMs = intervalMs;
    this.thread = Thread.ofPlatform().daemon().name("health-probe").start(this::loop);
  }

  private void loop() {
    while (!stop) {
      long start = System.nanoTime();
      double ms = ask() ? (System.nanoTime() - start) / 1e6 : 10_000;
      synchronized (latenciesMs) {
        latenciesMs.add(ms);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(intervalMs); // a sampling period, not a wait for a state
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private boolean ask() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 10_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET /health HTTP/1.0\r\nHost: " + host + ":" + port + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(12);
      in.readAllBytes();
      return new String(head, StandardCharsets.US_ASCII).contains(" 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** The latencies so far, in milliseconds. */
  double[] latenciesMs() {
    synchronized (latenciesMs) {
      return latenciesMs.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
