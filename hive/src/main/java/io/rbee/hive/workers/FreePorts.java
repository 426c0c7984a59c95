package io.rbee.hive.workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * Finds a free loopback port for a worker: binds 127.0.0.1:0, reads the port the kernel chose,
 * closes. Another process may take the port before the worker binds it; the spawner notices
 * (the worker exits with a bind error) and tries again with a new port.
 */
final class FreePorts {
  private FreePorts() {}

  /** A port free right now and not in {@code avoid}. */
  static int pick(Set<Integer> avoid) {
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        int port = s.getLocalPort();
        if (!avoid.contains(port)) {
          return port;
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException("no free port on 127.0.0.1", last);
  }
}
