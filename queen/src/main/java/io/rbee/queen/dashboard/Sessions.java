package io.rbee.queen.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The dashboard's logged-in browsers: each session is a random 256-bit id (SecureRandom,
 * base64url, what the cookie holds) that expires {@link #LIFETIME} after the login. Kept in
 * memory only, so a queen restart logs every browser out.
 *
 * <p>The store never holds an id itself, only its SHA-256: a lookup compares digests, so
 * neither the timing of a lookup nor a dump of the map tells anything about a live id. Thread-
 * safe; every method is short and never blocks.
 */
final class Sessions {
  /** How long a login lasts. */
  static final Duration LIFETIME = Duration.ofHours(12);

  /** Sessions the store holds at most; the login past it drops the expired ones first. */
  static final int MAX = 10_000;

  private static final Base64.Encoder ID = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Long> expiry = new ConcurrentHashMap<>(); // digest -> nanos
  private final LongSupplier nanos;
  private final long lifetimeNanos;

  Sessions() {
    this(System::nanoTime, LIFETIME);
  }

  /** A store on the clock {@code nanos} (tests), whose sessions last {@code lifetime}. */
  Sessions(LongSupplier nanos, Duration lifetime) {
    this.nanos = nanos;
    this.lifetimeNanos = lifetime.toNanos();
  }

  /**
   * A new session's id, live from now for its lifetime; null when {@link #MAX} sessions are
   * live already.
   */
  String create() {
    if (expiry.size() >= MAX) {
      sweep();
      if (expiry.size() >= MAX) {
        return null;
      }
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = ID.encodeToString(bytes);
    expiry.put(digest(id), nanos.getAsLong() + lifetimeNanos);
    return id;
  }

  /** True when {@code id} names a session that has not expired or been ended. */
  boolean isLive(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return false;
    }
    String key = digest(id);
    Long until = expiry.get(key);
    if (until == null) {
      return false;
    }
    if (nanos.getAsLong() - until >= 0) {
      expiry.remove(key, until);
      return false;
    }
    return true;
  }

  /** Ends {@code id}'s session (a logout); unknown ids are ignored. */
  void end(String id) {
    if (id != null && !id.isEmpty() && id.length() <= 100) {
      expiry.remove(digest(id));
    }
  }

  /** Sessions held now, expired ones not yet dropped included. */
  int size() {
    return expiry.size();
  }

  private void sweep() {
    long now = nanos.getAsLong();
    expiry.values().removeIf(until -> now - until >= 0);
  }

  private static String digest(String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return ID.encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
