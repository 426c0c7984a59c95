package io.rbee.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK HTTP server on {@code 127.0.0.1:0} that serves byte arrays for download tests.
 *
 * <p>{@code GET} of a served path answers 200 with the whole body and a {@code Content-Length},
 * or, for {@code Range: bytes=N-}, 206 with {@code Content-Range: bytes N-(len-1)/len} (416 when
 * {@code N >= len}). Unknown paths answer 404. Faults are set per path: {@link #dropAfter}
 * closes the connection mid-body, {@link #throttle} slows the body down, {@link #ignoreRange}
 * makes the server answer 200 to range requests, {@link #status} answers a fixed error, and
 * {@link #redirect} answers 302.
 *
 * <p>Thread-safe: requests are served on a pool of daemon threads, so a throttled download never
 * holds up other requests; configuration may change while requests run and applies to the next
 * request. {@link #close()} stops the server and drops open connections.
 */
public final class FileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();

  private static final class Route {
    volatile byte[] body;
    volatile int status;
    volatile String location;
    volatile long dropAfterBytes = -1;
    final AtomicInteger dropsLeft = new AtomicInteger();
    volatile long bytesPerSecond;
    volatile boolean ignoreRange;
    final AtomicInteger requests = new AtomicInteger();
    final List<String> ranges = new CopyOnWriteArrayList<>();
  }

  private FileServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts a server on a free loopback port. */
  public static FileServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "file-server");
        t.setDaemon(true);
        return t;
      });
      FileServer fs = new FileServer(server, pool);
      server.createContext("/", fs::handle);
      server.setExecutor(pool);
      server.start();
      return fs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The absolute URL of {@code path} ({@code "/m/tiny.gguf"}) on this server. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + normalize(path));
  }

  /** Serves {@code body} at {@code path} (replacing what was there); returns this server. */
  public FileServer serve(String path, byte[] body) {
    Route r = route(path);
    r.body = body.clone();
    r.status = 0;
    r.location = null;
    return this;
  }

  /** Answers every request for {@code path} with {@code status} and a short text body. */
  public FileServer status(String path, int status) {
    route(path).status = status;
    return this;
  }

  /** Answers requests for {@code from} with 302 to {@code to} (a path here or a full URL). */
  public FileServer redirect(String from, String to) {
    Route r = route(from);
    r.location = to.startsWith("/") ? url(to).toString() : to;
    return this;
  }

  /**
   * The next {@code times} requests for {@code path} send the headers, then {@code bytes} bytes
   * of their body, then the connection is closed before the rest.
   */
  public FileServer dropAfter(String path, long bytes, int times) {
    Route r = route(path);
    r.dropAfterBytes = bytes;
    r.dropsLeft.set(times);
    return this;
  }

  /** Sends the body of {@code path} at about {@code bytesPerSecond} (0: full speed). */
  public FileServer throttle(String path, long bytesPerSecond) {
    route(path).bytesPerSecond = bytesPerSecond;
    return this;
  }

  /** Answers 200 with the whole body even when a request asks for a range. */
  public FileServer ignoreRange(String path) {
    route(path).ignoreRange = true;
    return this;
  }

  /** How many requests for {@code path} arrived (including failed and dropped ones). */
  public int requests(String path) {
    Route r = routes.get(normalize(path));
    return r == null ? 0 : r.requests.get();
  }

  /** The {@code Range} headers requests for {@code path} carried, in arrival order. */
  public List<String> rangeHeaders(String path) {
    Route r = routes.get(normalize(path));
    return r == null ? List.of() : List.copyOf(r.ranges);
  }

  /** Stops the server at once, closing open connections (throttled bodies end mid-way). */
  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private Route route(String path) {
    return routes.computeIfAbsent(normalize(path), p -> new Route());
  }

  private static String normalize(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Route r = routes.get(ex.getRequestURI().getPath());
      if (r == null) {
        reply(ex, 404, "404 Not Found: " + ex.getRequestURI().getPath());
        return;
      }
      r.requests.incrementAndGet();
      String range = ex.getRequestHeaders().getFirst("Range");
      if (range != null) {
        r.ranges.add(range);
      }
      if (r.location != null) {
        ex.getResponseHeaders().set("Location", r.location);
        ex.sendResponseHeaders(302, -1);
        return;
      }
      if (r.status != 0 || r.body == null) {
        reply(ex, r.status == 0 ? 404 : r.status, "status " + r.status);
        return;
      }
      serveBody(ex, r, range);
    }
  }

  private void serveBody(HttpExchange ex, Route r, String range) throws IOException {
    byte[] body = r.body;
    long from = 0;
    Matcher m = range == null || r.ignoreRange ? null : RANGE.matcher(range.trim());
    if (m != null && m.matches()) {
      from = Long.parseLong(m.group(1));
      if (from >= body.length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      ex.getResponseHeaders()
          .set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.sendResponseHeaders(206, body.length - from);
    } else {
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.getResponseHeaders().set("Accept-Ranges", "bytes");
      ex.sendResponseHeaders(200, body.length);
    }
    long limit = body.length;
    if (r.dropAfterBytes >= 0 && r.dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      limit = Math.min(body.length, from + r.dropAfterBytes);
    }
    OutputStream out = ex.getResponseBody();
    writePaced(out, body, (int) from, (int) limit, r.bytesPerSecond);
    if (limit < body.length) {
      // An exception out of the handler makes the JDK server close the connection; the body
      // stays short of its Content-Length, which is what a broken transfer looks like.
      throw new DroppedOnPurpose();
    }
  }

  private static void writePaced(OutputStream out, byte[] body, int from, int to, long bps)
      throws IOException {
    if (bps <= 0) {
      out.write(body, from, to - from);
      out.flush();
      return;
    }
    // Pace in 20 slices a second so a throttled transfer is smooth, not bursty.
    int slice = (int) Math.max(1, bps / 20);
    long start = System.nanoTime();
    long sent = 0;
    for (int at = from; at < to; at += slice) {
      int n = Math.min(slice, to - at);
      out.write(body, at, n);
      out.flush();
      sent += n;
      long dueNanos = sent * 1_000_000_000L / bps;
      long waitNanos = dueNanos - (System.nanoTime() - start);
      if (waitNanos > 0) {
        try {
          Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("file server closing", e);
        }
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** Ends a handler after a deliberate mid-body drop, so the server closes the connection. */
  private static final class DroppedOnPurpose extends IOException {
    DroppedOnPurpose() {
      super("connection dropped on purpose after a partial body");
    }
  }
}
