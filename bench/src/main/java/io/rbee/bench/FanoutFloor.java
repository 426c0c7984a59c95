package io.rbee.bench;

import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Benchmark 3's floor: the least a JVM can do to fan one job's events out to N sockets on this
 * machine, so the queen's numbers can be read against what the machine allows, not only against
 * nchan. No HTTP framework, no per-follower thread, no history: one follower of the queen's job
 * encodes each event once and hands its bytes to {@link #WRITERS} platform threads, each of
 * which writes everything queued to each of its share of the sockets in one write
 * (non-blocking; a socket that takes only part keeps the rest for the next round). What it
 * costs is the writes themselves.
 *
 * <pre>
 * java io.rbee.bench.FanoutFloor --port P --queen http://127.0.0.1:Q   (token in RBEE_TOKEN)
 * GET /sub/JOB      an event stream of the queen job JOB (HTTP/1.0, ends after done)
 * GET /count/JOB    how many /sub/JOB streams are open
 * GET /go/JOB       start relaying JOB to its streams (after they are all open)
 * </pre>
 */
public final class FanoutFloor {
  static final int WRITERS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final byte[] HEAD = ("HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n"
      + "Cache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final JobClient queen;
  private final Map<String, List<Follower>> followers = new ConcurrentHashMap<>();

  private FanoutFloor(JobClient queen) {
    this.queen = queen;
  }

  public static void main(String[] argv) throws IOException {
    BenchArgs args = BenchArgs.parse(argv, Set.of("port", "queen"), System.getenv());
    AccessToken token = AccessToken.of(System.getenv(TokenFile.ENV), TokenFile.ENV);
    FanoutFloor floor = new FanoutFloor(new JobClient(args.string("queen", ""), token));
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", args.integer("port", 0, 0, 65535)), 4096);
    while (true) {
      floor.accept(server.accept());
    }
  }

  private void accept(SocketChannel ch) {
    try {
      String path = requestPath(ch);
      String[] parts = path.split("/");
      String job = parts.length > 2 ? parts[2] : "";
      switch (parts.length > 1 ? parts[1] : "") {
        case "sub" -> {
          writeFully(ch, ByteBuffer.wrap(HEAD));
          ch.configureBlocking(false);
          followers.computeIfAbsent(job, k -> new CopyOnWriteArrayList<>()).add(new Follower(ch));
        }
        case "count" -> answer(ch, String.valueOf(followers.getOrDefault(job, List.of()).size()));
        case "go" -> {
          List<Follower> all = followers.getOrDefault(job, List.of());
          Thread.ofPlatform().name("floor-publisher").start(() -> relay(job, all));
          answer(ch, "started");
        }
        default -> answer(ch, "unknown path " + path);
      }
    } catch (IOException e) {
      close(ch);
    }
  }

  /** Follows the queen's job and writes every event to {@code all}, split among the writers. */
  private void relay(String job, List<Follower> all) {
    List<Writer> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      Writer writer = new Writer(all.subList(w * all.size() / WRITERS,
          (w + 1) * all.size() / WRITERS));
      writers.add(writer);
      Thread.ofPlatform().name("floor-writer-" + w).start(writer);
    }
    try {
      queen.follow(job, 0, e -> {
        Frame frame = new Frame(SseEncoder.event(e.id(), e.event(), e.data())
            .getBytes(StandardCharsets.UTF_8), JobEvent.DONE.equals(e.event()));
        for (Writer w : writers) {
          w.frames.add(frame);
        }
      });
    } catch (Exception e) {
      System.err.println("floor: following job " + job + " failed: " + e);
      for (Writer w : writers) {
        w.frames.add(new Frame(new byte[0], true));
      }
    }
    followers.remove(job);
  }

  /** One event's bytes for every follower; {@code last} ends the streams after it. */
  private record Frame(byte[] bytes, boolean last) {}

  /** Writes each frame to its followers, in order, and ends them after the last. */
  private static final class Writer implements Runnable {
    private final List<Follower> mine;
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(100_000);
    private ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024);

    Writer(List<Follower> mine) {
      this.mine = mine;
    }

    @Override
    public void run() {
      List<Frame> taken = new ArrayList<>();
      try {
        while (true) {
          // everything queued goes out in one write per socket, as a queen stream writes
          // all the events already there: one write per event could never catch up
          taken.add(frames.take());
          frames.drainTo(taken, 64);
          boolean last = false;
          direct.clear();
          for (Frame f : taken) {
            if (direct.remaining() < f.bytes().length) {
              direct = ByteBuffer.allocateDirect(direct.capacity() * 2 + f.bytes().length)
                  .put(direct.flip());
            }
            direct.put(f.bytes());
            last |= f.last();
          }
          taken.clear();
          direct.flip();
          for (Follower f : mine) {
            f.write(direct);
          }
          if (last) {
            for (Follower f : mine) {
              f.finish();
            }
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One stream: its socket and what it has not taken yet. */
  private static final class Follower {
    private final SocketChannel ch;
    private ByteBuffer pending;

    Follower(SocketChannel ch) {
      this.ch = ch;
    }

    void write(ByteBuffer frame) {
      try {
        if (pending != null && !flushPending()) {
          pending = append(pending, frame);
          return;
        }
        ByteBuffer b = frame.duplicate();
        ch.write(b);
        if (b.hasRemaining()) {
          pending = append(null, b);
        }
      } catch (IOException e) {
        close(ch);
      }
    }

    // the socket takes the rest by now or the follower is gone: a few ms of retries at most
    void finish() {
      try {
        for (int i = 0; i < 10_000 && pending != null && !flushPending(); i++) {
          Thread.sleep(1);
        }
      } catch (IOException | InterruptedException e) {
        // gone: closed below
      }
      close(ch);
    }

    private boolean flushPending() throws IOException {
      ch.write(pending);
      if (pending.hasRemaining()) {
        return false;
      }
      pending = null;
      return true;
    }

    private static ByteBuffer append(ByteBuffer to, ByteBuffer more) {
      int have = to == null ? 0 : to.remaining();
      ByteBuffer b = ByteBuffer.allocate(have + more.remaining());
      if (to != null) {
        b.put(to);
      }
      b.put(more.duplicate()).flip();
      return b;
    }
  }

  private static String requestPath(SocketChannel ch) throws IOException {
    ByteBuffer in = ByteBuffer.allocate(8192);
    while (in.hasRemaining()) {
      if (ch.read(in) < 0) {
        throw new IOException("closed before its request ended");
      }
      String head = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
      if (head.contains("\r\n\r\n")) {
        String line = head.substring(0, head.indexOf("\r\n"));
        String[] words = line.split(" ");
        return words.length > 1 ? words[1] : "/";
      }
    }
    throw new IOException("request head over 8 KiB");
  }

  private static void answer(SocketChannel ch, String body) throws IOException {
    writeFully(ch, ByteBuffer.wrap(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body)
        .getBytes(StandardCharsets.UTF_8)));
    close(ch);
  }

  private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
