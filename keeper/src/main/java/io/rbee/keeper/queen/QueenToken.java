package io.rbee.keeper.queen;

import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The token the keeper sends its queen: {@code RBEE_TOKEN} when set, else the installation's
 * {@code $RBEE_HOME/token}. Read at each use, not once: a keeper that finds no queen starts one,
 * and that queen creates the file. Messages name where the token came from, never its value.
 * Thread-safe.
 */
public final class QueenToken {
  private final Path home;
  private final Map<String, String> env;

  public QueenToken(Path home, Map<String, String> env) {
    this.home = home;
    this.env = Map.copyOf(env);
  }

  /** The token to send; empty when {@code RBEE_TOKEN} is unset and the file does not exist. */
  public Optional<AccessToken> read() {
    return TokenFile.forClient(home, env);
  }

  /** Where the token comes from, for a message: "RBEE_TOKEN" or "the token file ...". */
  public String source() {
    String value = env.get(TokenFile.ENV);
    return value != null && !value.isBlank() ? TokenFile.ENV + " (environment)"
        : "the token file " + TokenFile.path(home);
  }

  /** What to do when there is no token at all. */
  String missing() {
    return "no token to send: " + TokenFile.ENV + " is unset and " + TokenFile.path(home)
        + " does not exist (a queen started on this machine creates it; for a queen elsewhere,"
        + " set " + TokenFile.ENV + " to the contents of its $RBEE_HOME/token)";
  }
}
