package io.rbee.jobs.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server that answers each connection with the next of a fixed list of byte
 * strings (the last repeats), for what a real daemon never does: go silent mid-stream, answer
 * nothing at all, or word a stream its own way. A reply that ends without closing is held open
 * until {@link #close()}.
 */
final class CannedServer implements AutoCloseable {
  /** What to write, and whether to close the connection after it or hold it open in silence. */
  record Reply(String bytes, boolean close) {
    /** A 200 {@code text/event-stream} with {@code body} (chunked), then silence. */
    static Reply streamThenSilence(String body) {
      return new Reply(head() + chunk(body), false);
    }

    /** A 200 {@code text/event-stream} with {@code body}, properly ended. */
    static Reply stream(String body) {
      return new Reply(head() + chunk(body) + "0\r\n\r\n", false);
    }

    /** Nothing at all: the connection is accepted and then silent. */
    static Reply nothing() {
      return new Reply("", false);
    }

    private static String head() {
      return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n";
    }

    private static String chunk(String body) {
      int n = body.getBytes(StandardCharsets.UTF_8).length;
      return Integer.toHexString(n) + "\r\n" + body + "\r\n";
    }
  }

  private final ServerSocket server;
  private final List<Reply> replies;
  private final AtomicInteger served = new AtomicInteger();
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  CannedServer(List<Reply> replies) throws IOException {
    this.replies = List.copyOf(replies);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("canned-server").start(this::acceptLoop);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The request lines received ({@code GET /v1/jobs/x/stream?... HTTP/1.1}), in order. */
  List<String> requestLines() {
    return requestLines;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        Reply reply = replies.get(Math.min(served.getAndIncrement(), replies.size() - 1));
        Thread.ofVirtual().start(() -> answer(s, reply));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void answer(Socket s, Reply reply) {
    try {
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      requestLines.add(in.readLine());
      for (String l; (l = in.readLine()) != null && !l.isEmpty(); ) {
        // headers: not needed
      }
      OutputStream out = s.getOutputStream();
      out.write(reply.bytes().getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (reply.close()) {
        s.close();
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
