package io.rbee.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on {@code 127.0.0.1:0} in front of a local port, for faults a link has: it can
 * cut every open connection at once (new ones are still accepted), throttle the bytes it
 * carries, and pause carrying bytes without closing anything (a stopped peer, as the other
 * side sees it). Each connection is two pumps on virtual threads.
 *
 * <p>Thread-safe: {@link #cutAll()}, {@link #throttle(long)}, {@link #pause()} and
 * {@link #resume()} may be called from any thread at any time, including from inside a
 * callback of the client being tested. {@link #close()} stops accepting and cuts everything.
 */
public final class TcpProxy implements AutoCloseable {
  private static final int BUFFER = 8192;

  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition unpaused = lock.newCondition();
  private volatile long bytesPerSecond; // 0: as fast as it comes
  private boolean paused; // guarded by lock

  private TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("tcp-proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
  }

  /** A proxy to {@code 127.0.0.1:targetPort}, accepting from now on. */
  public static TcpProxy to(int targetPort) throws IOException {
    return new TcpProxy(targetPort);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  /** How many times {@link #cutAll()} closed at least one connection. */
  public int cuts() {
    return cuts.get();
  }

  /** Connections open now. */
  public int openConnections() {
    return open.size() / 2;
  }

  /** Closes every connection open now, both sides, as a broken link would. */
  public void cutAll() {
    boolean any = false;
    for (Socket s : open) {
      any = true;
      closeQuietly(s);
    }
    open.clear();
    if (any) {
      cuts.incrementAndGet();
    }
  }

  /** Carries at most {@code bytesPerSecond} per direction of each connection; 0: no limit. */
  public void throttle(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be >= 0, got " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Stops carrying bytes, both ways, keeping every connection open; new ones wait too. */
  public void pause() {
    lock.lock();
    try {
      paused = true;
    } finally {
      lock.unlock();
    }
  }

  /** Carries bytes again after {@link #pause()}. */
  public void resume() {
    lock.lock();
    try {
      paused = false;
      unpaused.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        accepted.incrementAndGet();
        open.add(client);
        open.add(upstream);
        Thread.ofVirtual().name("tcp-proxy-up").start(() -> pump(client, upstream));
        Thread.ofVirtual().name("tcp-proxy-down").start(() -> pump(upstream, client));
      } catch (IOException e) {
        closeQuietly(client); // the target is down: the client sees a closed connection
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[BUFFER];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      while (true) {
        long rate = bytesPerSecond;
        int max = rate == 0 ? BUFFER : (int) Math.max(1, Math.min(BUFFER, rate / 20));
        int n = in.read(buf, 0, max);
        if (n < 0) {
          return;
        }
        awaitUnpaused();
        out.write(buf, 0, n);
        out.flush();
        if (rate > 0) {
          // the throttle itself: n bytes at rate bytes/s take this long on the wire
          TimeUnit.NANOSECONDS.sleep(n * 1_000_000_000L / rate);
        }
      }
    } catch (IOException | InterruptedException e) {
      // cut, closed by either side, or the proxy closed
    } finally {
      closeQuietly(to);
      closeQuietly(from);
      open.remove(to);
      open.remove(from);
    }
  }

  private void awaitUnpaused() throws InterruptedException {
    lock.lock();
    try {
      while (paused) {
        unpaused.await();
      }
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    resume();
    cutAll();
  }
}
