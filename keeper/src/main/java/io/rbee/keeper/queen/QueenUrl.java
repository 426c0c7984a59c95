package io.rbee.keeper.queen;

import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperException;
import java.net.URI;
import java.util.Locale;

/** Facts about a queen URL that decide whether the keeper may start a queen for it. */
public final class QueenUrl {
  private QueenUrl() {}

  /**
   * Checks that {@code url} is an http(s) URL with a host; a usage error (exit 2) otherwise,
   * naming the bad value.
   */
  public static String require(String url) {
    URI u = uri(url);
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw usage("queen URL must be an http(s) URL such as http://127.0.0.1:8500, got \""
          + url + "\"");
    }
    return url;
  }

  /** The URL of a queen on this machine at {@code port}. */
  public static String local(int port) {
    return "http://127.0.0.1:" + port;
  }

  /**
   * True when the URL names this machine by a loopback literal ({@code 127.x.y.z},
   * {@code localhost}, {@code ::1}); no name is resolved, so this never waits on DNS.
   */
  public static boolean isLoopback(String url) {
    String host = uri(url).getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** The URL's port, or the scheme's default (80 / 443) when it names none. */
  public static int port(String url) {
    URI u = uri(url);
    if (u.getPort() > 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static URI uri(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      throw usage("queen URL is not a URL: \"" + url + "\"");
    }
  }

  private static KeeperException usage(String message) {
    return new KeeperException(ExitCode.USAGE, message);
  }
}
