package io.rbee.keeper;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rbee.keeper.queen.HttpQueenApi;
import io.rbee.keeper.queen.QueenToken;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run {@code ./rbee} records its class-data archive from, once per build ({@code java
 * -XX:ArchiveClassesAtExit=dist/target/cds/keeper.jsa ... io.rbee.keeper.ClassDataTraining}):
 * real {@code rbee} commands ({@code status}, {@code jobs list}, {@code jobs status}, the help)
 * against a stand-in queen on a loopback port that answers with canned JSON and SSE, so the
 * archive holds what a command that talks to a queen loads (picocli, OkHttp, Jackson, the
 * printers), whichever command a user runs first. Not a test: nothing is checked.
 */
public final class ClassDataTraining {
  private static final String JOB = "job-00000000-0000-0000-0000-000000000001";
  private static final String CLUSTER = "{\"queen_url\":\"http://127.0.0.1\",\"local_hive\":false,"
      + "\"hives\":[{\"hive_id\":\"localhost\",\"mode\":\"daemon\",\"state\":\"running\","
      + "\"url\":\"http://127.0.0.1:9000\",\"liveness\":\"fresh\",\"last_beat_ms_ago\":120}],"
      + "\"workers\":[],\"models\":[]}";
  private static final String INFO = "{\"job_id\":\"" + JOB + "\",\"operation\":\"Status\","
      + "\"status\":\"succeeded\",\"created_at\":\"2026-01-01T00:00:00Z\",\"finished_at\":"
      + "\"2026-01-01T00:00:01Z\",\"last_event_id\":3}";

  private static final String[][] COMMANDS = {
      {"status"}, {"jobs", "list"}, {"jobs", "status", JOB}, {"jobs", "logs", JOB},
      {"--json", "status"}, {"status", "--help"}, {"--help"}, {"--version"},
  };

  private ClassDataTraining() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("slf4j.provider", io.rbee.keeper.output.StderrLogs.class.getName());
    System.setProperty("slf4j.internal.verbosity", "WARN");
    // a command that failed loaded less: said on stderr (training.log), the archive still helps
    train().forEach(System.err::println);
    System.exit(0); // OkHttp's pool threads would keep the JVM a while
  }

  /** Runs the commands against a stand-in queen; what each one that did not exit 0 printed. */
  static List<String> train() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ClassDataTraining::answer);
    server.start();
    Path home = Files.createTempDirectory("rbee-cds");
    List<String> failures = new ArrayList<>();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      QueenToken token = new QueenToken(home, Map.of("RBEE_TOKEN", "rbee_class-data-training"));
      Services services = new Services(Map.of("RBEE_NO_AUTOSTART", "1"), false,
          u -> new HttpQueenApi(u, token), null);
      for (String[] command : COMMANDS) {
        List<String> args = new ArrayList<>(List.of("--queen-url", url));
        args.addAll(List.of(command));
        StringWriter sink = new StringWriter();
        int code = Rbee.run(services, new PrintWriter(sink), new PrintWriter(sink),
            args.toArray(String[]::new));
        if (code != 0) {
          failures.add("rbee " + String.join(" ", command) + ": exit " + code + "\n" + sink);
        }
      }
    } finally {
      server.stop(0);
      Files.deleteIfExists(home);
    }
    return failures;
  }

  private static void answer(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    x.getRequestBody().readAllBytes();
    if (path.endsWith("/stream")) {
      send(x, "text/event-stream", "id: 1\nevent: narration\ndata: {\"actor\":\"queen\","
          + "\"action\":\"status\",\"human\":\"1 hive(s)\",\"job_id\":\"" + JOB + "\","
          + "\"level\":\"info\",\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n"
          + "id: 2\nevent: result\ndata: " + CLUSTER + "\n\n"
          + "id: 3\nevent: done\ndata: {\"job_id\":\"" + JOB + "\",\"status\":\"succeeded\"}\n\n");
    } else if (path.equals("/v1/jobs") && x.getRequestMethod().equals("POST")) {
      send(x, "application/json", "{\"job_id\":\"" + JOB + "\",\"sse_url\":\"/v1/jobs/" + JOB
          + "/stream\"}");
    } else if (path.equals("/v1/jobs")) {
      send(x, "application/json", "{\"jobs\":[" + INFO + "],\"history\":{\"enabled\":true,"
          + "\"path\":\"history.db\",\"reason\":null}}");
    } else if (path.startsWith("/v1/jobs/")) {
      send(x, "application/json", INFO);
    } else {
      send(x, "application/json", "{\"status\":\"ok\",\"service\":\"queen-rbee\"}");
    }
  }

  private static void send(HttpExchange x, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
