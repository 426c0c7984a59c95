package io.rbee.hive.workers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reading what a worker wrote to its log, for error messages; never throws. */
final class WorkerLogs {
  private WorkerLogs() {}

  /**
   * The worker's last {@code rbee-worker: error: ...} line (from the prefix on), searched in
   * the log's last 200 lines.
   */
  static Optional<String> errorLine(Path log) {
    List<String> lines = lastLines(log, 200);
    for (int i = lines.size() - 1; i >= 0; i--) {
      int at = lines.get(i).indexOf(WorkerSpawner.ERROR_PREFIX);
      if (at >= 0) {
        return Optional.of(lines.get(i).substring(at).strip());
      }
    }
    return Optional.empty();
  }

  /** The log's last {@code n} lines; empty when it cannot be read. */
  static List<String> lastLines(Path log, int n) {
    try {
      return LogTail.lastLines(log, n);
    } catch (IOException e) {
      return List.of();
    }
  }
}
