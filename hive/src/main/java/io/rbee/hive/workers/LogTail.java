package io.rbee.hive.workers;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end (logs can be large; we read only the tail). */
public final class LogTail {
  private static final int CHUNK = 8192;

  private LogTail() {}

  /**
   * The last {@code n} lines of {@code file}, oldest first; empty when the file does not exist.
   * A trailing newline does not count as an empty last line.
   */
  public static List<String> lastLines(Path file, int n) throws IOException {
    if (n <= 0 || !Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      long start = end;
      int newlines = 0;
      byte[] buf = new byte[CHUNK];
      // walk back until we have passed n+1 newlines (the trailing one does not start a line)
      while (start > 0 && newlines <= n) {
        int len = (int) Math.min(CHUNK, start);
        start -= len;
        raf.seek(start);
        raf.readFully(buf, 0, len);
        for (int i = len - 1; i >= 0; i--) {
          if (buf[i] == '\n' && start + i != end - 1) {
            newlines++;
            if (newlines > n - 1) {
              start = start + i + 1;
              newlines = n + 1;
              break;
            }
          }
        }
      }
      byte[] tail = new byte[(int) (end - start)];
      raf.seek(start);
      raf.readFully(tail);
      String text = new String(tail, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      return lines.size() > n ? lines.subList(lines.size() - n, lines.size()) : lines;
    }
  }
}
