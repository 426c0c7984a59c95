package io.rbee.hive.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.DeviceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  @Test
  void parsesOneLinePerGpuWithMemoryInBytes() {
    String out = "0, NVIDIA H100 80GB HBM3, 81559, 81007\n"
        + "1, NVIDIA GeForce RTX 4090, 24564, 23012\n";

    List<DeviceInfo> gpus = Devices.parseNvidiaSmi(out);

    assertThat(gpus).containsExactly(
        new DeviceInfo("cuda:0", "cuda", "NVIDIA H100 80GB HBM3", 81559 * MIB, 81007 * MIB, null),
        new DeviceInfo("cuda:1", "cuda", "NVIDIA GeForce RTX 4090", 24564 * MIB, 23012 * MIB,
            null));
  }

  @Test
  void unknownMemoryBecomesNullAndJunkLinesAreSkipped() {
    String out = "\r\nNo devices were found\n"
        + "0, Tesla T4, [N/A], [N/A]\r\n"
        + "2, Odd, Name, With Comma, 100, 50\n\n";

    List<DeviceInfo> gpus = Devices.parseNvidiaSmi(out);

    assertThat(gpus).extracting(DeviceInfo::id).containsExactly("cuda:0", "cuda:2");
    assertThat(gpus.get(0).memoryTotalBytes()).isNull();
    assertThat(gpus.get(0).memoryFreeBytes()).isNull();
    assertThat(gpus.get(1).name()).isEqualTo("Odd, Name, With Comma");
    assertThat(gpus.get(1).memoryFreeBytes()).isEqualTo(50 * MIB);
  }

  @Test
  void emptyOutputMeansNoGpus() {
    assertThat(Devices.parseNvidiaSmi("")).isEmpty();
  }

  @Test
  void hasCudaLooksForTheIndex() {
    List<DeviceInfo> devices = List.of(
        new DeviceInfo("cpu", "cpu", "x", 1L, 1L, 2),
        new DeviceInfo("cuda:1", "cuda", "g", 1L, 1L, null));

    assertThat(Devices.hasCuda(1, devices)).isTrue();
    assertThat(Devices.hasCuda(0, devices)).isFalse();
  }

  @Test
  void detectAlwaysStartsWithTheCpu() {
    List<DeviceInfo> devices = Devices.detect();

    DeviceInfo cpu = devices.get(0);
    assertThat(cpu.id()).isEqualTo("cpu");
    assertThat(cpu.kind()).isEqualTo("cpu");
    assertThat(cpu.name()).isNotBlank();
    assertThat(cpu.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(cpu.memoryTotalBytes()).isPositive();
    assertThat(cpu.memoryFreeBytes()).isPositive().isLessThanOrEqualTo(cpu.memoryTotalBytes());
    assertThat(devices.subList(1, devices.size())).allMatch(d -> d.kind().equals("cuda"));
  }

  @Test
  void cpuNameAndMemoryAreReadFromProcFiles() {
    assertThat(Cpu.modelName(List.of("processor\t: 0", "model name\t: AMD EPYC 7B13",
        "flags\t: fpu"))).contains("AMD EPYC 7B13");
    assertThat(Cpu.modelName(List.of("Hardware\t: BCM2835"))).contains("BCM2835");
    assertThat(Cpu.modelName(List.of("processor: 0"))).isEmpty();
    List<String> meminfo = List.of("MemTotal:       16303088 kB", "MemFree:  1 kB",
        "MemAvailable:   12000000 kB");
    assertThat(Cpu.meminfoBytes(meminfo, "MemTotal")).isEqualTo(16303088L * 1024);
    assertThat(Cpu.meminfoBytes(meminfo, "MemAvailable")).isEqualTo(12000000L * 1024);
    assertThat(Cpu.meminfoBytes(meminfo, "SwapTotal")).isNull();
  }

  @Test
  void runsNvidiaSmiWithTheQueryArguments() throws IOException {
    Path args = dir.resolve("args");
    Path exe = script("printf '%s\\n' \"$@\" > " + args + "\necho '0, Fake GPU, 1024, 512'");

    List<DeviceInfo> gpus = Devices.queryNvidiaSmi(exe, Duration.ofSeconds(5));

    assertThat(gpus).containsExactly(
        new DeviceInfo("cuda:0", "cuda", "Fake GPU", 1024 * MIB, 512 * MIB, null));
    assertThat(Files.readAllLines(args)).isEqualTo(Devices.NVIDIA_SMI_ARGS);
  }

  @Test
  void failingNvidiaSmiMeansNoGpus() throws IOException {
    Path exe = script("echo 'NVIDIA-SMI has failed because it could not communicate' \nexit 9");

    assertThat(Devices.queryNvidiaSmi(exe, Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void hungNvidiaSmiIsKilledAfterTheTimeout() throws IOException {
    Path exe = script("exec sleep 30");

    long start = System.nanoTime();
    List<DeviceInfo> gpus = Devices.queryNvidiaSmi(exe, Duration.ofMillis(300));

    assertThat(gpus).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void missingBinaryMeansNoGpus() {
    assertThat(Devices.queryNvidiaSmi(dir.resolve("nope"), Duration.ofSeconds(1))).isEmpty();
  }

  private Path script(String body) throws IOException {
    Path exe = dir.resolve("nvidia-smi");
    Files.writeString(exe, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return exe;
  }
}
