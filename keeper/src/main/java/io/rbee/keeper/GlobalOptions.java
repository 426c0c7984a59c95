package io.rbee.keeper;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every {@code rbee} command takes, before or after the subcommand's name. Mixed
 * into the root command with INHERIT scope, so picocli stores each value on the root's
 * instance wherever on the command line it was given.
 */
public final class GlobalOptions {
  /**
   * Where the queen answers when neither {@code --queen-url} nor the environment says, and this
   * installation runs no queen.
   */
  public static final String DEFAULT_QUEEN_URL = "http://127.0.0.1:8500";

  @Option(
      names = "--queen-url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "The queen's URL (default: $RBEE_QUEEN_URL, else the queen this RBEE_HOME"
          + " started, when it runs, else " + DEFAULT_QUEEN_URL + ").")
  String queenUrl;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON on stdout instead of text: a job's raw events as JSON lines "
          + "{\"id\",\"event\",\"data\"}, other answers as one JSON document (ps: an array).")
  boolean json;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "Never colour the output (it is coloured only on a terminal anyway).")
  boolean noColor;

  /** For tests and scripts: never start a queen on its own (also $RBEE_NO_AUTOSTART=1). */
  @Option(names = "--no-autostart", scope = ScopeType.INHERIT, hidden = true)
  boolean noAutostart;

  /**
   * The queen URL in effect: the option, else {@code RBEE_QUEEN_URL}, else {@code local} (the
   * URL of the queen this installation started, when it runs), else the default.
   */
  public String queenUrl(Map<String, String> env, Supplier<Optional<String>> local) {
    String url = queenUrl;
    if (url == null || url.isBlank()) {
      url = env.get("RBEE_QUEEN_URL");
    }
    if (url == null || url.isBlank()) {
      url = local.get().orElse(DEFAULT_QUEEN_URL);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public boolean json() {
    return json;
  }

  public boolean noColor() {
    return noColor;
  }

  /** True unless {@code --no-autostart} or {@code RBEE_NO_AUTOSTART} (any value but 0/false). */
  public boolean autostart(Map<String, String> env) {
    String v = env.get("RBEE_NO_AUTOSTART");
    boolean envOff = v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    return !noAutostart && !envOff;
  }
}
