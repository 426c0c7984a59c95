package io.rbee.jobs.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an installation's {@link AccessToken} lives: {@code $RBEE_HOME/token}, one line, mode
 * 0600, unless the environment variable {@value #ENV} overrides it (how a parent hands its
 * token to a child: never on a command line, which {@code ps} shows).
 *
 * <p>A daemon ({@link #forDaemon}) creates the file when it finds none: 32 random bytes, written
 * to a private temporary file (created 0600, never wider) and then linked into place, which
 * fails if another process got there first; that process's token is then read and used, so two
 * daemons that start together in one home agree on one token. A client ({@link #forClient})
 * only reads. Safe to call from several threads and processes at once.
 */
public final class TokenFile {
  /** The environment variable that overrides the file. */
  public static final String ENV = "RBEE_TOKEN";

  /** The file's name under {@code $RBEE_HOME}. */
  public static final String NAME = "token";

  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private TokenFile() {}

  /** {@code home/token}. */
  public static Path path(Path home) {
    return home.resolve(NAME);
  }

  /**
   * A daemon's token: {@value #ENV} from {@code env} when set, else {@code home/token},
   * created when missing. Throws {@link UncheckedIOException} when the file cannot be read or
   * written, {@link IllegalArgumentException} when the token found is not a valid one.
   */
  public static AccessToken forDaemon(Path home, Map<String, String> env) {
    return fromEnv(env).orElseGet(() -> readOrCreate(path(home)));
  }

  /**
   * A client's token: {@value #ENV} from {@code env} when set, else {@code home/token}; empty
   * when neither exists (no daemon of this installation ever started here).
   */
  public static Optional<AccessToken> forClient(Path home, Map<String, String> env) {
    Optional<AccessToken> fromEnv = fromEnv(env);
    return fromEnv.isPresent() ? fromEnv : read(path(home));
  }

  /** The token in {@code file}, creating the file with a new token when there is none. */
  public static AccessToken readOrCreate(Path file) {
    Optional<AccessToken> existing = read(file);
    if (existing.isPresent()) {
      return existing.get();
    }
    AccessToken created = AccessToken.generate(file.toString());
    Path tmp = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token-", ".tmp",
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(tmp, created.value() + "\n", StandardCharsets.US_ASCII);
      try {
        // a hard link never replaces: exactly one of several racing processes wins
        Files.createLink(file, tmp);
        LOG.info("created the access token {} (mode 0600)", file);
        return created;
      } catch (FileAlreadyExistsException lost) {
        return read(file).orElseThrow(() -> new UncheckedIOException(
            new IOException("token file " + file + " vanished while it was being created")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the token file " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a stray private temporary file; the token is in place either way
        }
      }
    }
  }

  /** The token in {@code file}; empty when the file does not exist. */
  public static Optional<AccessToken> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file + ": " + e, e);
    }
    warnIfOpen(file);
    return Optional.of(AccessToken.of(text.strip(), file.toString()));
  }

  private static Optional<AccessToken> fromEnv(Map<String, String> env) {
    String value = env.get(ENV);
    return value == null || value.isBlank() ? Optional.empty()
        : Optional.of(AccessToken.of(value.strip(), ENV));
  }

  private static void warnIfOpen(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        LOG.warn("the token file {} is readable by others ({}); run: chmod 600 {}", file,
            PosixFilePermissions.toString(perms), file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }
}
