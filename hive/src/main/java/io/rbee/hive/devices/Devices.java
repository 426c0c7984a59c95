package io.rbee.hive.devices;

import io.rbee.jobs.DeviceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the devices of this machine: always the CPU ({@code cpu}), then one {@code cuda:N} per
 * NVIDIA GPU that {@code nvidia-smi} reports.
 *
 * <p>Detection never throws: a missing {@code nvidia-smi} means no GPUs; one that fails, hangs
 * past {@link #NVIDIA_SMI_TIMEOUT} or prints nothing usable means no GPUs and a warning in the
 * process log. Each call runs the detection again (GPUs' free memory changes); it takes a few
 * milliseconds without GPUs and up to a second or so with them.
 */
public final class Devices {
  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

  /** How long {@code nvidia-smi} may take before it is killed and no GPUs are reported. */
  public static final Duration NVIDIA_SMI_TIMEOUT = Duration.ofSeconds(5);

  static final List<String> NVIDIA_SMI_ARGS =
      List.of("--query-gpu=index,name,memory.total,memory.free", "--format=csv,noheader,nounits");

  private static final long MIB = 1L << 20;

  private Devices() {}

  /** The CPU, then the NVIDIA GPUs in index order. */
  public static List<DeviceInfo> detect() {
    List<DeviceInfo> devices = new ArrayList<>();
    devices.add(Cpu.detect());
    findOnPath("nvidia-smi")
        .ifPresent(exe -> devices.addAll(queryNvidiaSmi(exe, NVIDIA_SMI_TIMEOUT)));
    return List.copyOf(devices);
  }

  /** True when {@code devices} has {@code cuda:index}. */
  public static boolean hasCuda(int index, List<DeviceInfo> devices) {
    String id = "cuda:" + index;
    return devices.stream().anyMatch(d -> d.id().equals(id));
  }

  /**
   * Parses the output of {@code nvidia-smi --query-gpu=index,name,memory.total,memory.free
   * --format=csv,noheader,nounits}: one line per GPU, {@code 0, NVIDIA H100 80GB HBM3, 81559,
   * 81007}, memory in MiB. Memory that is not a number ({@code [N/A]}) becomes null; lines
   * without an index are skipped (and logged).
   */
  public static List<DeviceInfo> parseNvidiaSmi(String output) {
    List<DeviceInfo> gpus = new ArrayList<>();
    for (String raw : output.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",");
      Long index = f.length >= 4 ? number(f[0]) : null;
      if (index == null) {
        LOG.warn("ignoring a line of nvidia-smi output that is not a GPU: \"{}\"", line);
        continue;
      }
      // A GPU name could hold a comma: it is everything between the index and the two numbers.
      String name = String.join(",", List.of(f).subList(1, f.length - 2)).strip();
      gpus.add(new DeviceInfo("cuda:" + index, "cuda", name, mib(f[f.length - 2]),
          mib(f[f.length - 1]), null));
    }
    return List.copyOf(gpus);
  }

  /** Runs {@code exe} with the query arguments; any failure is logged and yields no GPUs. */
  static List<DeviceInfo> queryNvidiaSmi(Path exe, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(exe.toString());
    command.addAll(NVIDIA_SMI_ARGS);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      LOG.warn("could not run {}: {}; reporting no GPUs", exe, e.getMessage());
      return List.of();
    }
    // Read on another thread: a hung nvidia-smi must not hang the caller past the timeout.
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not answer within {} ms; killed it, reporting no GPUs", exe,
            timeout.toMillis());
        p.destroyForcibly();
        return List.of();
      }
      String text = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (p.exitValue() != 0) {
        LOG.warn("{} exited with {} ({}); reporting no GPUs", exe, p.exitValue(),
            text.strip().lines().findFirst().orElse("no output"));
        return List.of();
      }
      return parseNvidiaSmi(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return List.of();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("could not read the output of {}: {}; reporting no GPUs", exe, e.toString());
      p.destroyForcibly();
      return List.of();
    }
  }

  /** The first executable {@code name} in the directories of {@code PATH}. */
  static Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String readAll(Process p) {
    try (InputStream in = p.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static Long number(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long mib(String s) {
    Long n = number(s);
    return n == null ? null : n * MIB;
  }
}
