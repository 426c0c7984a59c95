package io.rbee.jobs.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Says in a few words why an HTTP exchange failed, for one-line error messages. */
final class Failures {
  private Failures() {}

  static String reason(IOException e) {
    if (e instanceof SilentPeerException) {
      return e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof InterruptedIOException) {
      return "interrupted";
    }
    if (e instanceof EOFException) {
      // okio's words for it ("\n not found: limit=0 content=…") tell a user nothing
      return "the connection closed";
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    if (m.startsWith("unexpected end of stream") || m.contains("closed")) {
      return "connection closed (" + m + ")";
    }
    return m.lines().findFirst().orElse(m);
  }
}
