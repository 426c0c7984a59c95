package io.rbee.jobs.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;
import java.util.Set;

/**
 * What keeps a web page on another site from driving a daemon (CSRF) or reading it through a
 * DNS name it controls (DNS rebinding), checked before every route of every daemon:
 *
 * <ol>
 *   <li>the {@code Host} header must name this daemon: {@code localhost}, {@code 127.0.0.1},
 *       {@code [::1]} or the IP address the connection arrived on; anything else (a DNS name
 *       an attacker points at this machine) is 421 {@code misdirected_request}. The port is
 *       not compared: a rebinding attack needs a foreign name, and a daemon reached through a
 *       port forward or a TCP proxy sees that port;
 *   <li>a request with an {@code Origin} header is refused with 403 {@code forbidden_origin}
 *       unless that origin is this request's own, {@code http://} plus its {@code Host} (a
 *       browser sends {@code Origin} on every cross-site POST and every cross-site fetch;
 *       a page of this daemon's own origin is the only one that may call it);
 *   <li>{@code POST}, {@code PUT} and {@code PATCH} must say {@code Content-Type:
 *       application/json} (415 {@code unsupported_media_type}): a browser can send a
 *       cross-site text/plain or form POST without asking, never a JSON one. A {@code DELETE}
 *       needs no body; if it has a {@code Content-Type}, it must be JSON too. A charset other
 *       than one this JVM knows is 415 {@code unsupported_charset}.
 * </ol>
 *
 * <p>Stateless and thread-safe; it reads only the request.
 */
final class RequestGuard {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private RequestGuard() {}

  /** Throws the {@link ApiException} that refuses {@code ctx}, or returns when it may pass. */
  static void check(Context ctx) {
    checkSite(ctx);
    checkBody(ctx);
  }

  /** Rules 1 and 2: the {@code Host} names this daemon, an {@code Origin} is its own. */
  static void checkSite(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || !acceptedHost(host, ctx)) {
      throw new ApiException(421, "misdirected_request", "Host \"" + abbreviate(host)
          + "\" is not this daemon; use http://127.0.0.1:" + ctx.req().getLocalPort()
          + " (or localhost, or the daemon's IP address)");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !origin.strip().equalsIgnoreCase("http://" + host.strip())) {
      throw new ApiException(403, "forbidden_origin", "requests from the web page at \""
          + abbreviate(origin) + "\" are refused: only this daemon's own origin may call it");
    }
  }

  /** Rule 3: a body is JSON in a charset this JVM knows. */
  static void checkBody(Context ctx) {
    String method = ctx.method().name();
    String type = ctx.header("Content-Type");
    if (BODY_METHODS.contains(method) || ("DELETE".equals(method) && type != null)) {
      checkJson(method, type);
    }
  }

  private static void checkJson(String method, String type) {
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json")) {
      throw new ApiException(415, "unsupported_media_type", method + " needs Content-Type:"
          + " application/json, got " + (type == null ? "none" : "\"" + abbreviate(type) + "\""));
    }
    for (String param : type.split(";")) {
      String[] kv = param.split("=", 2);
      if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
        String charset = kv[1].strip().replace("\"", "");
        if (!knownCharset(charset)) {
          throw new ApiException(415, "unsupported_charset",
              "unknown charset \"" + abbreviate(charset) + "\" (send UTF-8)");
        }
      }
    }
  }

  private static boolean knownCharset(String name) {
    try {
      return Charset.isSupported(name);
    } catch (IllegalCharsetNameException e) {
      return false;
    }
  }

  /** {@code name[:port]} names this daemon: a loopback name or the local IP address. */
  private static boolean acceptedHost(String hostHeader, Context ctx) {
    String value = hostHeader.strip();
    String name;
    String port;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        return false;
      }
      name = value.substring(0, close + 1);
      port = value.substring(close + 1);
    } else {
      int colon = value.lastIndexOf(':');
      name = colon < 0 ? value : value.substring(0, colon);
      port = colon < 0 ? "" : value.substring(colon);
    }
    if (!port.isEmpty() && !port.matches(":[0-9]{1,5}")) {
      return false;
    }
    name = name.toLowerCase(Locale.ROOT);
    return LOOPBACK_NAMES.contains(name) || sameAddress(name, ctx.req().getLocalAddr());
  }

  /** True when the IP literal {@code name} is the address the connection arrived on. */
  private static boolean sameAddress(String name, String localAddr) {
    String literal = name.startsWith("[") && name.endsWith("]")
        ? name.substring(1, name.length() - 1) : name;
    // only IP literals are compared: a DNS name could point anywhere (that is the attack)
    if (literal.isEmpty() || !literal.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*")) {
      return false;
    }
    try {
      return InetAddress.getByName(literal).equals(InetAddress.getByName(localAddr));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100) + "...";
  }
}
