package io.rbee.hive.workers;

import com.sun.net.httpserver.HttpServer;
import io.rbee.jobs.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Stand-in worker programs, run as real child processes by the spawner in tests. They take
 * the worker's command line and behave in one way each, so the hive's side of the protocol
 * (health, exit codes, error line, signals) is tested without loading a model.
 */
public final class StandInWorkers {
  private StandInWorkers() {}

  static String arg(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    throw new IllegalArgumentException("missing " + name);
  }

  /** Serves /health: 503 loading for 300 ms, then 200 ready; runs until signalled. */
  public static final class Ready {
    public static void main(String[] args) throws IOException {
      serve(args, 300);
    }
  }

  /** Prints the worker's error line and exits 5, as a worker with a broken model does. */
  public static final class Failing {
    public static void main(String[] args) {
      System.out.println("stand-in worker starting");
      System.err.println("rbee-worker: error: stand-in cannot load " + arg(args, "--model"));
      System.exit(ExitCode.INVALID_MODEL.code());
    }
  }

  /** Answers 503 loading forever. */
  public static final class Stuck {
    public static void main(String[] args) throws IOException {
      serve(args, Long.MAX_VALUE);
    }
  }

  /** Ready, but a SIGTERM does not end it (its shutdown hook never returns). */
  public static final class IgnoresSigterm {
    public static void main(String[] args) throws IOException {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      serve(args, 0);
    }
  }

  /**
   * The first run for a worker id fails like a worker whose port was taken; the next run (the
   * spawner's retry on a new port) comes up ready.
   */
  public static final class LosesPortOnce {
    public static void main(String[] args) throws IOException {
      Path marker = Path.of(System.getProperty("java.io.tmpdir"),
          arg(args, "--worker-id") + ".port-lost");
      if (!Files.exists(marker)) {
        Files.writeString(marker, "lost");
        System.err.println("rbee-worker: error: cannot listen on 127.0.0.1:"
            + arg(args, "--port") + ": java.net.BindException: Address already in use");
        System.exit(1);
      }
      serve(args, 0);
    }
  }

  /**
   * Ready at once, reporting its idleness as a real worker does: busy (with {@code idle_ms} 0)
   * while a file {@code busy} exists in its {@code --native-dir} (a test creates and deletes
   * it), else idle since it started or was last busy; {@code keep_alive_ms} from its
   * {@code --keep-alive} ({@code -1} or {@code <n>ms}, as the hive passes it).
   */
  public static final class Idling {
    public static void main(String[] args) throws IOException {
      int port = Integer.parseInt(arg(args, "--port"));
      String id = arg(args, "--worker-id");
      Path busyFile = Path.of(arg(args, "--native-dir")).resolve("busy");
      String keep = arg(args, "--keep-alive");
      long keepMs = keep.equals("-1") ? -1 : Long.parseLong(keep.replace("ms", ""));
      long[] idleSince = {System.nanoTime()};
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
      server.createContext("/health", ex -> {
        boolean busy = Files.exists(busyFile);
        long idleMs;
        synchronized (idleSince) {
          if (busy) {
            idleSince[0] = System.nanoTime();
          }
          idleMs = busy ? 0 : Math.max(1, (System.nanoTime() - idleSince[0]) / 1_000_000);
        }
        byte[] body = ("{\"status\":\"ready\",\"worker_id\":\"" + id + "\",\"busy\":" + busy
            + ",\"queue_depth\":0,\"idle_ms\":" + idleMs + ",\"keep_alive_ms\":" + keepMs + "}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      System.out.println("stand-in worker " + id + " listening on port " + port);
    }
  }

  private static void serve(String[] args, long loadingMs) throws IOException {
    int port = Integer.parseInt(arg(args, "--port"));
    String id = arg(args, "--worker-id");
    long readyAt = loadingMs == Long.MAX_VALUE ? Long.MAX_VALUE
        : System.nanoTime() + loadingMs * 1_000_000;
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/health", ex -> {
      boolean ready = System.nanoTime() >= readyAt;
      byte[] body = ("{\"status\":\"" + (ready ? "ready" : "loading") + "\",\"worker_id\":\""
          + id + "\"}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(ready ? 200 : 503, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    System.out.println("stand-in worker " + id + " listening on port " + port);
    System.out.println("stand-in worker " + id + " model " + arg(args, "--model-id"));
  }
}
