package io.rbee.bench.relay;

import io.rbee.bench.fanout.ProcStatus;
import io.rbee.testkit.daemons.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx as the reference relay: a reverse proxy on a free loopback port in front of one
 * upstream, with {@code proxy_buffering off} (each chunk is passed on as it arrives, as an SSE
 * relay must) and upstream keep-alive. It runs in the foreground ({@code daemon off}) with its
 * own prefix, config, pid, temp folders and logs under a folder this object owns, one worker
 * process, no access log. When this JVM runs as root, nginx is started as {@code nobody}
 * through {@code setpriv}, so it never holds privileges.
 *
 * <p>{@link #close()} stops it (SIGTERM, then SIGKILL).
 */
public final class NginxProxy implements AutoCloseable {
  private static final long NOBODY = 65534;

  private final Process process;
  private final int port;
  private final Path dir;

  private NginxProxy(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts {@code nginx} proxying to {@code 127.0.0.1:upstreamPort}; waits until it listens. */
  public static NginxProxy start(String nginx, Path dir, int upstreamPort) throws IOException {
    int port = FreePorts.next();
    return start(nginx, dir, port, config(dir, port, upstreamPort));
  }

  /**
   * Starts {@code nginx} as an nchan pub/sub hub (the fan-out reference): a message POSTed to
   * {@code /pub/<channel>} goes to every EventSource subscriber of {@code /sub/<channel>}.
   * Needs Debian's {@code libnginx-mod-nchan}.
   */
  public static NginxProxy startNchan(String nginx, Path dir) throws IOException {
    int port = FreePorts.next();
    return start(nginx, dir, port, nchanConfig(dir, port));
  }

  private static NginxProxy start(String nginx, Path dir, int port, String config)
      throws IOException {
    Files.createDirectories(dir.resolve("temp"));
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config);
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      // an unprivileged nginx needs to write its pid, logs and temp files in its own folder
      openUp(dir);
      openUp(dir.resolve("temp"));
      createBuiltInTempFolders(nginx, dir, conf);
      cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
          "--clear-groups", "--"));
    }
    cmd.addAll(List.of(nginx, "-p", dir.toString(), "-c", conf.toString(),
        "-e", dir.resolve("error.log").toString(), "-g", "daemon off;"));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()))
        .start();
    NginxProxy proxy = new NginxProxy(p, port, dir);
    proxy.awaitListening(Duration.ofSeconds(10));
    return proxy;
  }

  /**
   * With nchan loaded, nginx also wants its built-in temp folder (Debian's
   * {@code /var/lib/nginx/body}) whatever the config says, and an unprivileged nginx cannot
   * create it there: on a machine where nginx never ran as root it refuses to start. A config
   * test as root creates it, as nginx's own first start would.
   */
  private static void createBuiltInTempFolders(String nginx, Path dir, Path conf)
      throws IOException {
    Process test = new ProcessBuilder(nginx, "-t", "-q", "-p", dir.toString(), "-c",
        conf.toString(), "-e", dir.resolve("error.log").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()))
        .start();
    Processes.awaitOrKill(test, Duration.ofSeconds(10));
    // its verdict is the real start's to report; what it made as root in the run folder
    // (the error log, the pid file, the temp folders) the unprivileged nginx makes again
    deleteTree(dir.resolve("temp"));
    Files.createDirectories(dir.resolve("temp"));
    openUp(dir.resolve("temp"));
    Files.deleteIfExists(dir.resolve("error.log"));
    Files.deleteIfExists(dir.resolve("nginx.pid"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String config(Path dir, int port, int upstreamPort) {
    return wrap(dir, "", 1024, """
          upstream daemon {
            server 127.0.0.1:%2$d;
            keepalive 16;
          }
          server {
            listen 127.0.0.1:%1$d;
            location / {
              proxy_pass http://daemon;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $http_host;
              proxy_buffering off;
              proxy_cache off;
              proxy_read_timeout 1h;
            }
          }
        """.formatted(port, upstreamPort));
  }

  static String nchanConfig(Path dir, int port) {
    return wrap(dir, """
        load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
        worker_rlimit_nofile 40000;
        """, 30_000, """
          server {
            listen 127.0.0.1:%1$d backlog=4096;
            location ~ ^/pub/(\\w+)$ {
              nchan_publisher;
              nchan_channel_id $1;
              nchan_message_buffer_length 1000;
            }
            location ~ ^/sub/(\\w+)$ {
              nchan_subscriber eventsource;
              nchan_channel_id $1;
              nchan_subscriber_first_message newest;
            }
          }
        """.formatted(port));
  }

  /**
   * A whole config: {@code top} lines, one worker process with its pid, log and temp folders
   * in {@code dir}, no access log, and {@code servers} inside {@code http}.
   */
  private static String wrap(Path dir, String top, int connections, String servers) {
    return top + """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections %3$d; }
        http {
          access_log off;
          client_body_temp_path %2$s/body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;
        """.formatted(dir, dir.resolve("temp"), connections) + servers + "}\n";
  }

  /** The nginx processes' resident memory, in bytes (master and workers). */
  public long rssBytes() {
    long sum = ProcStatus.rssBytes(process.pid());
    for (ProcessHandle p : process.descendants().toList()) {
      sum += ProcStatus.rssBytes(p.pid());
    }
    return sum;
  }

  /** "nginx/1.22.1" (what {@code nginx -v} says), or "nginx (version unknown)". */
  public static String version(String nginx) {
    try {
      Process p = new ProcessBuilder(nginx, "-v").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      int at = out.indexOf("nginx/");
      return at >= 0 ? out.substring(at) : "nginx (version unknown)";
    } catch (IOException e) {
      return "nginx (version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "nginx (version unknown)";
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path dir() {
    return dir;
  }

  private void awaitListening(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IOException("nginx did not listen on " + port + " (exit "
              + (process.isAlive() ? "-" : process.exitValue()) + "); see "
              + dir.resolve("error.log") + " and " + dir.resolve("nginx.out"), e);
        }
        try {
          process.waitFor(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while starting nginx", ie);
        }
      }
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void openUp(Path p) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
  }
}
