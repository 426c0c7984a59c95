package io.rbee.queen.inference;

import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ModelInfo;
import io.rbee.queen.hives.LiveHives;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a new worker for a model goes, and why: among the fresh hives whose catalog has the
 * model, a GPU with enough free memory before any CPU (the GPU with the most free memory
 * first); without one, the CPU of the hive with the fewest workers. "Enough" is the model's
 * file size plus a quarter, plus {@link #HEADROOM_BYTES} for llama.cpp's context and buffers.
 */
record SpawnPlan(String hiveId, String device, String reason) {
  /** Memory a worker needs beyond its model's weights (context, scratch buffers). */
  static final long HEADROOM_BYTES = 256L << 20;

  /** The plan for {@code model} over {@code fresh} hives; empty when none has the model. */
  static Optional<SpawnPlan> choose(String model, List<LiveHives.Entry> fresh) {
    SpawnPlan gpu = null;
    long gpuFree = -1;
    LiveHives.Entry cpu = null;
    for (LiveHives.Entry e : fresh) {
      Optional<ModelInfo> m = e.beat().models().stream()
          .filter(x -> x.id().equals(model)).findFirst();
      if (m.isEmpty()) {
        continue;
      }
      long need = needs(m.get());
      Optional<DeviceInfo> fits = e.beat().devices().stream()
          .filter(d -> "cuda".equals(d.kind()) && d.memoryFreeBytes() != null
              && d.memoryFreeBytes() >= need)
          .max(Comparator.comparingLong(DeviceInfo::memoryFreeBytes));
      if (fits.isPresent() && fits.get().memoryFreeBytes() > gpuFree) {
        gpuFree = fits.get().memoryFreeBytes();
        gpu = new SpawnPlan(e.hiveId(), fits.get().id(), "has the model; " + fits.get().id()
            + " (" + fits.get().name() + ") has " + gib(gpuFree) + " free, the model needs about "
            + gib(need));
      }
      if (cpu == null || e.beat().workers().size() < cpu.beat().workers().size()) {
        cpu = e;
      }
    }
    if (gpu != null) {
      return Optional.of(gpu);
    }
    if (cpu == null) {
      return Optional.empty();
    }
    return Optional.of(new SpawnPlan(cpu.hiveId(), "cpu",
        "has the model; no GPU of a hive with it has about " + gib(needs(cpu.beat().models()
            .stream().filter(x -> x.id().equals(model)).findFirst().orElseThrow()))
            + " free, so on the CPU"));
  }

  static long needs(ModelInfo m) {
    return m.sizeBytes() + m.sizeBytes() / 4 + HEADROOM_BYTES;
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
