package io.rbee.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, for the report: CPU, cores, Java, OS, load. */
public final class Machine {
  private Machine() {}

  /** One Markdown line: "AMD EPYC (2 cores), OpenJDK 64-Bit Server VM 17.0.15, Linux 6.1". */
  public static String describe() {
    return cpuModel() + " (" + Runtime.getRuntime().availableProcessors() + " cores), "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  /** The 1-, 5- and 15-minute load averages ("1.93 2.10 2.40"), or "?" off Linux. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.format(Locale.ROOT, "%s %s %s", f[0], f[1], f[2]);
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }
}
