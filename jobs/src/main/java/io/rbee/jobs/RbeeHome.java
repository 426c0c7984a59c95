package io.rbee.jobs;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where an rbee installation keeps its state: {@code $RBEE_HOME}, or {@code ~/.rbee} when it is
 * unset. Every program of one installation (keeper, queen, hives, workers) uses the same home,
 * so several installations, and every test, never collide.
 *
 * <pre>
 * $RBEE_HOME/
 *   logs/            queen.log, hive-&lt;id&gt;.log, workers/&lt;worker-id&gt;.log
 *   run/             queen.json: the queen the keeper started (pid, port, mode);
 *                    queen-keep-hives: "leave the hives running" for the queen of that pid
 *   queen/           the queen's state: hives.json, the hive daemons it started (pid, port)
 *   hives/&lt;id&gt;/      one hive's state: models/ (catalog and files)
 * </pre>
 */
public final class RbeeHome {
  private RbeeHome() {}

  /** The home of this process's installation, from the environment. */
  public static Path resolve() {
    String env = System.getenv("RBEE_HOME");
    if (env != null && !env.isBlank()) {
      return Paths.get(env).toAbsolutePath();
    }
    return Paths.get(System.getProperty("user.home"), ".rbee").toAbsolutePath();
  }

  public static Path logs(Path home) {
    return home.resolve("logs");
  }

  public static Path run(Path home) {
    return home.resolve("run");
  }

  /**
   * The file {@code rbee queen stop --keep-hives} writes before it signals the queen: it holds
   * that queen's pid, and the queen whose pid it is leaves its hives running as it stops.
   */
  public static Path keepHivesMarker(Path home) {
    return run(home).resolve("queen-keep-hives");
  }

  public static Path queen(Path home) {
    return home.resolve("queen");
  }

  public static Path hive(Path home, String hiveId) {
    return home.resolve("hives").resolve(hiveId);
  }
}
