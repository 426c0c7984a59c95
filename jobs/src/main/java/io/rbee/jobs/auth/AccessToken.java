package io.rbee.jobs.auth;

import io.rbee.narration.Redactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One installation's bearer token, and where it came from ({@link #source()}: {@code
 * RBEE_TOKEN} or the token file's path), for messages that must say which token was used
 * without showing it. {@link #toString()} never shows the value; every token made here is
 * handed to the {@link Redactor}, so its value is masked in narration and logs of this process
 * even where some code prints it. Immutable and thread-safe.
 *
 * <p>A generated token is {@value #PREFIX} plus 32 {@link SecureRandom} bytes in base64url
 * without padding (48 characters in all). A token set by hand ({@code RBEE_TOKEN}) may be any
 * {@value #MIN_LENGTH}..{@value #MAX_LENGTH} visible ASCII characters without spaces.
 */
public final class AccessToken {
  /** What every generated token starts with (the {@link Redactor} masks that shape too). */
  public static final String PREFIX = "rbee_";
  public static final int MIN_LENGTH = 16;
  public static final int MAX_LENGTH = 512;

  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{" + MIN_LENGTH + ","
      + MAX_LENGTH + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;
  private final byte[] digest;
  private final String source;

  private AccessToken(String value, String source) {
    this.value = value;
    this.digest = sha256(value);
    this.source = Objects.requireNonNull(source, "source");
    Redactor.addSecret(value);
  }

  /**
   * The token {@code value}, read from {@code source}; throws {@link IllegalArgumentException}
   * (naming the source, never the value) when it is not {@value #MIN_LENGTH}..{@value
   * #MAX_LENGTH} visible ASCII characters.
   */
  public static AccessToken of(String value, String source) {
    Objects.requireNonNull(value, "value");
    if (value.length() < MIN_LENGTH || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the token from " + source + " must be " + MIN_LENGTH
          + ".." + MAX_LENGTH + " characters long, got " + value.length());
    }
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("the token from " + source
          + " must be visible ASCII characters without spaces; it has another character");
    }
    return new AccessToken(value, source);
  }

  /** A new random token ({@value #PREFIX} + 32 random bytes, base64url), from {@code source}. */
  public static AccessToken generate(String source) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new AccessToken(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
        source);
  }

  /**
   * True when {@code presented} is this token. Constant-time: both sides are hashed and the
   * digests compared with {@link MessageDigest#isEqual}, so neither the content nor the length
   * of a wrong guess changes how long the answer takes. Null is never a match.
   */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  /** The secret itself: for the {@code Authorization} header and the child's environment only. */
  public String value() {
    return value;
  }

  /** {@code Bearer <token>}, the value of an {@code Authorization} header. */
  public String authorization() {
    return "Bearer " + value;
  }

  /** Where it came from: {@code RBEE_TOKEN} or the token file's path. Never the value. */
  public String source() {
    return source;
  }

  /** {@code AccessToken[from <source>]}: never the value. */
  @Override
  public String toString() {
    return "AccessToken[from " + source + "]";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
