package io.rbee.bench.fanout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap in use by another JVM, read with {@code jcmd <pid> GC.heap_info} from the JDK
 * this benchmark runs on (the daemons run on the same one).
 */
final class HeapProbe {
  // Serial GC (what daemons run) prints "DefNew total ..K, used ..K" and "Tenured total ..";
  // their "space" lines below them are parts of the same and are not added
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private HeapProbe() {}

  /** Heap used in bytes, or -1 when jcmd could not tell. */
  static long usedBytes(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      long used = 0;
      boolean any = false;
      for (String line : out.lines().toList()) {
        String t = line.trim();
        // the generation lines sum to the heap; their "space" sub-lines would count twice
        if (t.startsWith("DefNew") || t.startsWith("Tenured") || t.contains("generation")
            || t.startsWith("garbage-first heap")) {
          Matcher m = USED.matcher(t);
          if (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
            any = true;
          }
        }
      }
      return any ? used : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
