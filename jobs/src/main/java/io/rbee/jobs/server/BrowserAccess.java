package io.rbee.jobs.server;

/**
 * How a daemon with a web page (the queen's dashboard) lets a browser in beside the bearer
 * header, which an {@code EventSource} cannot send: the paths that are open (the page, its
 * assets, the login itself) and the session cookie {@link #COOKIE} that stands for the token
 * once the user logged in. {@link AccessGuard} asks it on every request; a daemon without one
 * (hive, worker) takes the bearer header only.
 *
 * <p>Both methods are called on request threads, concurrently, and must not block.
 */
public interface BrowserAccess {
  /** The session cookie's name. */
  String COOKIE = "rbee_session";

  /** True when {@code method} {@code path} needs no credential at all. */
  boolean isOpen(String method, String path);

  /** True when {@code sessionId} (a cookie's value, never null) names a live session. */
  boolean isLive(String sessionId);
}
