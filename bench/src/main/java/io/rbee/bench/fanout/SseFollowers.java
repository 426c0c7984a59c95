package io.rbee.bench.fanout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code n} followers of one SSE stream, read by one thread with one selector (as a load
 * generator such as wrk reads its connections): a follower costs the benchmark a socket and a
 * few hundred bytes, not a thread, so the two cores go to the server being measured rather
 * than to ten thousand clients' threads and their garbage. Each follower notes, for every
 * flood narration it reads ({@code "action":"flood_event"}), the delay from the narration's own
 * {@code timestamp} (set where it was emitted) to the moment its bytes were read, and checks
 * the events arrive exactly once and in order ({@code target} counts 1, 2, 3...).
 *
 * <p>Followers connect from 127.0.0.2 … 127.0.0.51 in turn, so 10,000 connections and the
 * ones left in TIME_WAIT by earlier runs never run out of loopback ports; at most
 * {@value #CONNECTING} connect at once.
 */
public final class SseFollowers implements AutoCloseable {
  private static final int SOURCE_ADDRESSES = 50;
  private static final int CONNECTING = 500;
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final String host;
  private final int port;
  private final byte[] request;
  private final int expected;
  private final List<Follower> followers = new ArrayList<>();
  private final CountDownLatch connected;
  private final CountDownLatch finished;
  private final Selector selector;
  private final Thread thread;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private volatile boolean closing;
  private int failed;
  private int started;
  private int pending;

  private SseFollowers(int n, String host, int port, String path, String authorization,
      int expected) throws IOException {
    this.host = host;
    this.port = port;
    this.expected = expected;
    this.connected = new CountDownLatch(n);
    this.finished = new CountDownLatch(n);
    // HTTP/1.0: the body comes unchunked until the server closes, so lines parse as they are
    this.request = ("GET " + path + " HTTP/1.0\r\nHost: " + host + ":" + port
        + (authorization == null ? "" : "\r\nAuthorization: " + authorization)
        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < n; i++) {
      followers.add(new Follower(expected));
    }
    this.selector = Selector.open();
    this.thread = Thread.ofPlatform().name("fanout-followers").daemon().unstarted(this::run);
  }

  /**
   * Opens {@code n} followers of {@code path} on {@code host:port}, each expecting
   * {@code expected} flood events and sending {@code authorization} (null: no such header).
   * Returns at once; {@link #awaitConnected} waits for them.
   */
  public static SseFollowers open(int n, String host, int port, String path,
      String authorization, int expected) throws IOException {
    SseFollowers all = new SseFollowers(n, host, port, path, authorization, expected);
    all.thread.start();
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
  public synchronized int complete() {
    return (int) followers.stream().filter(f -> f.seen == expected && f.inOrder).count();
  }

  /** Followers whose connection failed or broke. */
  public synchronized int failed() {
    return failed;
  }

  /** Every delivery latency of every follower, in milliseconds. */
  public synchronized double[] latenciesMs() {
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

  private void run() {
    try {
      while (!closing && finished.getCount() > 0) {
        connectMore();
        selector.select(100);
        long arrived = nanosOfDay();
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Follower f = (Follower) key.attachment();
          try {
            if (key.isConnectable()) {
              connectedNow(key, f);
            } else if (key.isReadable()) {
              read(key, f, arrived);
            }
          } catch (IOException | RuntimeException e) {
            end(key, f, false);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the followers' selector failed", e);
    } finally {
      closeAll();
    }
  }

  private void connectMore() throws IOException {
    while (pending < CONNECTING && started < followers.size()) {
      int i = started++;
      Follower f = followers.get(i);
      pending++; // until its status line is read, or it failed
      SocketChannel ch = SocketChannel.open();
      try {
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(
            InetAddress.getByName("127.0.0." + (2 + i % SOURCE_ADDRESSES)), 0));
        if (ch.connect(new InetSocketAddress(host, port))) {
          connectedNow(ch.register(selector, 0, f), f);
        } else {
          ch.register(selector, SelectionKey.OP_CONNECT, f);
        }
      } catch (IOException e) {
        ch.close();
        f.ended = true;
        f.counted = true;
        synchronized (this) {
          failed++;
        }
        connected.countDown();
        finished.countDown();
        pending--;
      }
    }
  }

  private void connectedNow(SelectionKey key, Follower f) throws IOException {
    SocketChannel ch = (SocketChannel) key.channel();
    ch.finishConnect();
    ByteBuffer out = ByteBuffer.wrap(request);
    while (out.hasRemaining()) { // a fresh socket's send buffer takes a few hundred bytes
      ch.write(out);
    }
    key.interestOps(SelectionKey.OP_READ);
  }

  private void read(SelectionKey key, Follower f, long arrived) throws IOException {
    SocketChannel ch = (SocketChannel) key.channel();
    readBuffer.clear();
    int n = ch.read(readBuffer);
    if (n < 0) {
      end(key, f, false);
      return;
    }
    readBuffer.flip();
    boolean done;
    synchronized (this) {
      done = f.take(readBuffer, arrived, this);
    }
    if (done) {
      end(key, f, true);
    }
  }

  /** The status line was read: the stream is open (or refused). */
  void statusRead(Follower f, boolean ok) {
    if (!f.counted) {
      f.counted = true;
      pending--;
      connected.countDown();
    }
    if (!ok) {
      f.refused = true;
    }
  }

  private void end(SelectionKey key, Follower f, boolean clean) {
    if (f.ended) {
      return;
    }
    f.ended = true;
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // closing only
    }
    if (!f.counted) {
      f.counted = true;
      pending--;
      connected.countDown();
    }
    if (!clean || f.refused) {
      synchronized (this) {
        failed++;
      }
    }
    finished.countDown();
  }

  private void closeAll() {
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException ignored) {
        // closing only
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing only
    }
  }

  @Override
  public void close() {
    closing = true;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Now as nanoseconds since midnight UTC: what a narration's timestamp is compared to. */
  static long nanosOfDay() {
    Instant t = Instant.now();
    return Math.floorMod(t.getEpochSecond(), 86_400L) * 1_000_000_000L + t.getNano();
  }

  /** One follower's reading: only what it needs, parsed from the bytes as they arrive. */
  private static final class Follower {
    private static final byte[] FLOOD = "\"flood_event\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TARGET = "\"target\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP =
        "\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE_EVENT = "event: done".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NCHAN_DONE =
        "data: {\"done\":true}".getBytes(StandardCharsets.US_ASCII);

    final double[] latencyMs;
    int seen;
    boolean inOrder = true;
    boolean statusSeen;
    boolean counted;
    boolean refused;
    boolean ended;
    private byte[] line = new byte[512];
    private int length;

    Follower(int expected) {
      latencyMs = new double[expected];
    }

    /** Takes what was read; true at the end of the stream (done, or a refused status). */
    boolean take(ByteBuffer in, long arrived, SseFollowers all) {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b != '\n') {
          if (length == line.length) {
            line = java.util.Arrays.copyOf(line, line.length * 2);
          }
          line[length++] = b;
          continue;
        }
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        length = 0;
        if (!statusSeen) {
          statusSeen = true;
          boolean ok = indexOf(line, end, " 200".getBytes(StandardCharsets.US_ASCII), 0) >= 0;
          all.statusRead(this, ok);
          if (!ok) {
            return true;
          }
          continue;
        }
        // rbee ends with event: done; the nchan path ends with the publisher's last message
        if (startsWith(line, end, DONE_EVENT) || equalsBytes(line, end, NCHAN_DONE)) {
          return true;
        }
        if (end < 5 || line[0] != 'd' || indexOf(line, end, FLOOD, 0) < 0) {
          continue;
        }
        int target = (int) digits(line, end, indexOf(line, end, TARGET, 0) + TARGET.length);
        long emitted = timeOfDayNanos(line, indexOf(line, end, TIMESTAMP, 0) + TIMESTAMP.length);
        if (target != seen + 1 || seen >= latencyMs.length) {
          inOrder = false;
        }
        if (seen < latencyMs.length) {
          long delay = Math.floorMod(arrived - emitted, NANOS_PER_DAY); // across midnight too
          latencyMs[seen++] = delay / 1e6;
        }
      }
      return false;
    }

    /** Nanoseconds since midnight of an ISO instant's time ({@code ...THH:MM:SS[.f*]Z}). */
    private static long timeOfDayNanos(byte[] b, int from) {
      int t = from + 11; // past "YYYY-MM-DDT"
      long seconds = (b[t] - '0') * 36_000L + (b[t + 1] - '0') * 3_600L
          + (b[t + 3] - '0') * 600L + (b[t + 4] - '0') * 60L
          + (b[t + 6] - '0') * 10L + (b[t + 7] - '0');
      long nanos = 0;
      int i = t + 8;
      if (b[i] == '.') {
        long scale = 100_000_000L;
        for (i++; b[i] >= '0' && b[i] <= '9'; i++) {
          nanos += (b[i] - '0') * scale;
          scale /= 10;
        }
      }
      return seconds * 1_000_000_000L + nanos;
    }

    private static long digits(byte[] b, int end, int from) {
      long v = 0;
      for (int i = from; i < end && b[i] >= '0' && b[i] <= '9'; i++) {
        v = v * 10 + (b[i] - '0');
      }
      return v;
    }

    private static int indexOf(byte[] b, int end, byte[] what, int from) {
      outer:
      for (int i = from; i <= end - what.length; i++) {
        for (int j = 0; j < what.length; j++) {
          if (b[i + j] != what[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    private static boolean startsWith(byte[] b, int end, byte[] prefix) {
      return end >= prefix.length && indexOf(b, prefix.length, prefix, 0) == 0;
    }

    private static boolean equalsBytes(byte[] b, int end, byte[] what) {
      return end == what.length && startsWith(b, end, what);
    }
  }
}
