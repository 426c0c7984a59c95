package io.rbee.jobs.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.auth.TestToken;
import io.rbee.narration.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 spoken by hand over a {@link Socket}, for requests no client library would send: a
 * bad request line, a broken chunked body, headers of any size. Reads the answer until the
 * server closes the connection or the body's {@code Content-Length} has arrived. Unless the
 * request has an {@code Authorization} header, the test daemons' token ({@link TestToken}) is
 * added right after its first line, so what a test sends reaches the check it is about.
 */
final class RawHttp {
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private RawHttp() {}

  /** Sends {@code request} as it is (ISO-8859-1 bytes) to 127.0.0.1:{@code port}. */
  static Answer send(int port, String request) throws IOException {
    return send(port, request, false);
  }

  /** As {@link #send(int, String)}, then ends the sending side: the request breaks off there. */
  static Answer sendAndHangUp(int port, String request) throws IOException {
    return send(port, request, true);
  }

  private static Answer send(int port, String request, boolean hangUp) throws IOException {
    int firstLine = request.indexOf("\r\n");
    if (firstLine >= 0 && !request.toLowerCase(Locale.ROOT).contains("\r\nauthorization:")) {
      request = request.substring(0, firstLine + 2) + "Authorization: "
          + TestToken.TOKEN.authorization() + request.substring(firstLine);
    }
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      if (hangUp) {
        s.shutdownOutput();
      }
      return read(s.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    String length = headers.get("content-length");
    byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.substring(0, head.length() - 4);
      }
    }
    throw new IOException("connection closed before the answer's headers ended: " + head);
  }
}
