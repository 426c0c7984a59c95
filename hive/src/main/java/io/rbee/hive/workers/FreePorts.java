package io.rbee.hive.workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * Finds a free port for a worker on the address it will bind (127.0.0.1, or the hive's own
 * address): binds it with port 0, reads the port the kernel chose, closes. Another process may take the port before the worker binds it; the spawner notices
 * (the worker exits with a bind error) and tries again with a new port.
 */
final class FreePorts {
  private FreePorts() {}

  /** A port free on {@code host} right now and not in {@code avoid}. */
  static int pick(String host, Set<Integer> avoid) {
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 1);
        int port = s.getLocalPort();
        if (!avoid.contains(port)) {
          return port;
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException("no free port on " + host, last);
  }
}
