package io.rbee.queen.hives;

/**
 * A hive daemon this queen started (or adopted): where it answers and its process id, -1 when
 * it is stopped (the record stays, so the hive keeps its port across restarts).
 */
public record HiveRecord(String hiveId, String url, int port, long pid, String logFile,
    String startedAt) {

  /** The same hive, stopped. */
  public HiveRecord stopped() {
    return new HiveRecord(hiveId, url, port, -1, logFile, startedAt);
  }
}
