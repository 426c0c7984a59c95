package io.rbee.keeper.queen;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Not the queen: a program that takes the queen's flags, answers {@code GET /health} on
 * {@code --bind}:{@code --port}, writes its arguments to {@code $RBEE_HOME/stand-in-args.txt}
 * and runs until it is signalled. Lets the tests start and stop a real detached process.
 */
public final class StandInQueen {
  private StandInQueen() {}

  public static void main(String[] args) throws Exception {
    List<String> argv = List.of(args);
    int port = Integer.parseInt(argv.get(argv.indexOf("--port") + 1));
    String bind = argv.get(argv.indexOf("--bind") + 1);
    Files.writeString(Path.of(System.getenv("RBEE_HOME"), "stand-in-args.txt"),
        String.join(" ", args));
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    server.createContext("/health", exchange -> {
      byte[] body = "{\"status\":\"ok\"}".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("stand-in queen on " + bind + ":" + port);
  }
}
