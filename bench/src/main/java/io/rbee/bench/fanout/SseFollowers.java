package io.rbee.bench.fanout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code n} followers of one SSE stream, each a plain socket read on a virtual thread of its
 * own, so ten thousand of them cost the benchmark little. Each follower notes, for every flood
 * narration it reads ({@code "action":"flood_event"}), the delay from the narration's own
 * {@code timestamp} (set where it was emitted) to its arrival, and checks the events arrive
 * exactly once and in order ({@code target} counts 1, 2, 3...).
 *
 * <p>Followers connect from 127.0.0.2 … 127.0.0.51 in turn, so 10,000 connections and the
 * ones left in TIME_WAIT by earlier runs never run out of loopback ports.
 */
public final class SseFollowers implements AutoCloseable {
  private static final int SOURCE_ADDRESSES = 50;

  private final int expected;
  private final List<Follower> followers = new ArrayList<>();
  private final CountDownLatch connected;
  private final CountDownLatch finished;
  private final AtomicInteger failed = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  private SseFollowers(int n, int expected) {
    this.expected = expected;
    this.connected = new CountDownLatch(n);
    this.finished = new CountDownLatch(n);
  }

  /**
   * Opens {@code n} followers of {@code path} on {@code host:port}, each expecting
   * {@code expected} flood events and sending {@code authorization} (null: no such header).
   * Returns at once; {@link #awaitConnected} waits for them.
   */
  public static SseFollowers open(int n, String host, int port, String path,
      String authorization, int expected) {
    SseFollowers all = new SseFollowers(n, expected);
    for (int i = 0; i < n; i++) {
      Follower f = new Follower(expected);
      all.followers.add(f);
      String source = "127.0.0." + (2 + i % SOURCE_ADDRESSES);
      all.threads.add(Thread.ofVirtual().name("follower-" + i)
          .start(() -> all.follow(f, source, host, port, path, authorization)));
    }
    return all;
  }

  /** Waits until every follower has its stream open; how many did, at the deadline. */
  public int awaitConnected(Duration timeout) throws InterruptedException {
    connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return (int) (followers.size() - connected.getCount());
  }

  /** Waits until every follower read {@code done} or failed; true when all ended in time. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Followers that saw every expected event exactly once, in order. */
  public int complete() {
    return (int) followers.stream().filter(f -> f.seen == expected && f.inOrder).count();
  }

  /** Followers whose connection failed or broke. */
  public int failed() {
    return failed.get();
  }

  /** Every delivery latency of every follower, in milliseconds. */
  public double[] latenciesMs() {
    int total = followers.stream().mapToInt(f -> f.seen).sum();
    double[] all = new double[total];
    int k = 0;
    for (Follower f : followers) {
      for (int i = 0; i < f.seen; i++) {
        all[k++] = f.latencyMs[i];
      }
    }
    return all;
  }

  private void follow(Follower f, String source, String host, int port, String path,
      String authorization) {
    boolean counted = false;
    try (Socket s = new Socket()) {
      f.socket = s;
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      s.connect(new InetSocketAddress(host, port), 30_000);
      OutputStream out = s.getOutputStream();
      // HTTP/1.0: the body comes unchunked until the server closes, so lines parse as they are
      out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + ":" + port
          + (authorization == null ? "" : "\r\nAuthorization: " + authorization)
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 8192);
      String status = in.readLine();
      if (status == null || !status.contains(" 200")) {
        throw new IOException("answered " + status);
      }
      connected.countDown();
      counted = true;
      f.read(in);
    } catch (IOException | RuntimeException e) {
      failed.incrementAndGet();
    } finally {
      if (!counted) {
        connected.countDown();
      }
      finished.countDown();
    }
  }

  @Override
  public void close() {
    for (Follower f : followers) {
      Socket s = f.socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          // closing only
        }
      }
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One follower's reading: only what it needs, parsed as the bytes arrive. */
  private static final class Follower {
    final double[] latencyMs;
    int seen;
    boolean inOrder = true;
    volatile Socket socket;

    Follower(int expected) {
      latencyMs = new double[expected];
    }

    void read(BufferedReader in) throws IOException {
      String line;
      while ((line = in.readLine()) != null) {
        // rbee ends with event: done; the nchan path ends with the publisher's last message
        if (line.startsWith("event: done") || line.equals("data: {\"done\":true}")) {
          return;
        }
        if (!line.startsWith("data:") || !line.contains("\"flood_event\"")) {
          continue;
        }
        long arrived = nowNanos();
        int target = Integer.parseInt(field(line, "\"target\":\""));
        long emitted = epochNanos(Instant.parse(field(line, "\"timestamp\":\"")));
        if (target != seen + 1 || seen >= latencyMs.length) {
          inOrder = false;
        }
        if (seen < latencyMs.length) {
          latencyMs[seen++] = (arrived - emitted) / 1e6;
        }
      }
    }

    private static String field(String line, String key) {
      int from = line.indexOf(key) + key.length();
      return line.substring(from, line.indexOf('"', from));
    }
  }

  static long nowNanos() {
    return epochNanos(Instant.now());
  }

  static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
