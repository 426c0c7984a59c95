package io.rbee.queen.hives;

/**
 * A hive daemon this queen started (or adopted): where it answers and its process id, -1 when
 * it is stopped (the record stays, so the hive keeps its port across restarts). {@code remote}
 * hives run on another machine, started over SSH: their pid is a process of that machine,
 * never to be looked up or signalled here, and {@code logFile} is a path there.
 */
public record HiveRecord(String hiveId, String url, int port, long pid, String logFile,
    String startedAt, boolean remote) {

  /** A hive of this machine. */
  public HiveRecord(String hiveId, String url, int port, long pid, String logFile,
      String startedAt) {
    this(hiveId, url, port, pid, logFile, startedAt, false);
  }

  /** The same hive, stopped. */
  public HiveRecord stopped() {
    return new HiveRecord(hiveId, url, port, -1, logFile, startedAt, remote);
  }

  /** The pid of a local hive process, or -1 (stopped, or on another machine). */
  public long localPid() {
    return remote ? -1 : pid;
  }
}
