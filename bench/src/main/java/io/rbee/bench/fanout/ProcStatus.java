package io.rbee.bench.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says of a process in {@code /proc/<pid>/status}: resident memory, threads. */
public final class ProcStatus {
  private ProcStatus() {}

  /** VmRSS in bytes; 0 when the process is gone or the field is missing. */
  public static long rssBytes(long pid) {
    return field(pid, "VmRSS:") * 1024;
  }

  /** The process's thread count (Java's platform threads, the JVM's own included). */
  public static long threads(long pid) {
    return field(pid, "Threads:");
  }

  private static long field(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone, or not Linux
    }
    return 0;
  }
}
