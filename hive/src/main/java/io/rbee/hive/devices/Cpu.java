package io.rbee.hive.devices;

import io.rbee.jobs.DeviceInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CPU as a device: its model name from {@code /proc/cpuinfo}, its cores as the JVM sees them,
 * memory from {@code /proc/meminfo} (free = {@code MemAvailable}, what a new worker could get).
 * Off Linux, or when those files are unreadable, the name is the OS architecture and memory
 * comes from the JVM's operating-system bean.
 */
final class Cpu {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private Cpu() {}

  static DeviceInfo detect() {
    String name = lines(CPUINFO).flatMap(Cpu::modelName)
        .orElseGet(() -> System.getProperty("os.arch") + " CPU");
    List<String> mem = lines(MEMINFO).orElse(List.of());
    Long total = meminfoBytes(mem, "MemTotal");
    Long free = meminfoBytes(mem, "MemAvailable");
    if (free == null) {
      free = meminfoBytes(mem, "MemFree");
    }
    if (total == null) {
      total = os().getTotalMemorySize();
      free = os().getFreeMemorySize();
    }
    return new DeviceInfo("cpu", "cpu", name, total, free,
        Runtime.getRuntime().availableProcessors());
  }

  /** The first {@code model name} (x86) or {@code Model}/{@code Hardware} (ARM) value. */
  static Optional<String> modelName(List<String> cpuinfo) {
    for (String key : List.of("model name", "Model", "Hardware", "cpu model")) {
      for (String line : cpuinfo) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
          String value = line.substring(colon + 1).strip();
          if (!value.isEmpty()) {
            return Optional.of(value);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The value of {@code key} (in kB in the file) in bytes, or null when absent. */
  static Long meminfoBytes(List<String> meminfo, String key) {
    for (String line : meminfo) {
      if (line.startsWith(key + ":")) {
        String[] parts = line.substring(key.length() + 1).strip().split("\\s+");
        try {
          long kb = Long.parseLong(parts[0]);
          return kb * 1024;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static com.sun.management.OperatingSystemMXBean os() {
    return (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  }

  private static Optional<List<String>> lines(Path file) {
    try {
      return Optional.of(Files.readAllLines(file));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
