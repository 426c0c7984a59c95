package io.rbee.keeper;

import io.rbee.jobs.RbeeHome;
import io.rbee.keeper.queen.HttpQueenApi;
import io.rbee.keeper.queen.LocalQueen;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.keeper.queen.QueenLauncher;
import io.rbee.keeper.queen.QueenToken;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What the commands take from the world outside the command line: the environment, whether
 * stdout is a terminal, how to reach a queen at a URL, and how to start one here. {@link
 * #system()} is the real world; tests build their own.
 *
 * @param env environment variables ({@code RBEE_QUEEN_URL}, {@code RBEE_NO_AUTOSTART}, ...)
 * @param terminal whether stdout is a terminal (colour, progress bars, a final line break)
 * @param queens a queen API for a base URL
 * @param launcher starts and stops the queen of this installation
 * @param stdin what the user types ({@code rbee chat}'s lines)
 */
public record Services(
    Map<String, String> env,
    boolean terminal,
    Function<String, QueenApi> queens,
    QueenLauncher launcher,
    InputStream stdin) {

  public Services {
    env = Map.copyOf(env);
  }

  /** Services that read the process's own stdin. */
  public Services(Map<String, String> env, boolean terminal, Function<String, QueenApi> queens,
      QueenLauncher launcher) {
    this(env, terminal, queens, launcher, System.in);
  }

  /** The real environment, terminal, HTTP client and queen process of this installation. */
  public static Services system() {
    Path home = RbeeHome.resolve();
    // RBEE_TOKEN, else $RBEE_HOME/token: read at each call, a queen started here creates it
    QueenToken token = new QueenToken(home, System.getenv());
    Function<String, QueenApi> queens = url -> new HttpQueenApi(url, token);
    return new Services(System.getenv(), System.console() != null, queens,
        new LocalQueen(home, queens));
  }
}
