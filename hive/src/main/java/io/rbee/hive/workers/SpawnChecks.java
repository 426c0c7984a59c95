package io.rbee.hive.workers;

import io.rbee.gguf.GgufFile;
import io.rbee.gguf.InvalidGgufException;
import io.rbee.gguf.LlamaSafety;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.OperationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a spawn checks before any process starts: the model is in the catalog, its file is a
 * GGUF llama.cpp can load without aborting the worker's JVM, and the device exists here.
 * Each failure is an {@link OperationException} a user can act on.
 */
final class SpawnChecks {
  /** Where the CUDA setup is explained (docs/OPERATIONS.md). */
  static final String CUDA_DOCS = "docs/OPERATIONS.md#cuda";

  private final String hiveId;
  private final Supplier<List<ModelInfo>> models;
  private final Supplier<List<DeviceInfo>> devices;

  SpawnChecks(String hiveId, Supplier<List<ModelInfo>> models, Supplier<List<DeviceInfo>> devices) {
    this.hiveId = hiveId;
    this.models = models;
    this.devices = devices;
  }

  /** The catalog entry of {@code modelId}, or {@code model_not_found} naming what exists. */
  ModelInfo model(String modelId) {
    List<ModelInfo> all = models.get();
    return all.stream()
        .filter(m -> m.id().equals(modelId))
        .findFirst()
        .orElseThrow(() -> {
          String known = all.isEmpty()
              ? "it has no models yet"
              : "models: " + all.stream().map(ModelInfo::id).collect(Collectors.joining(", "));
          return new OperationException(ErrorKind.MODEL_NOT_FOUND,
              "model \"" + modelId + "\" is not in hive " + hiveId + "'s catalog (" + known
                  + "); download it first: rbee model download " + modelId);
        });
  }

  /** Throws {@code invalid_gguf} when the file is missing, not GGUF, or would crash llama.cpp. */
  void loadable(ModelInfo model) {
    Path file = Path.of(model.path());
    if (!Files.isRegularFile(file)) {
      throw new OperationException(ErrorKind.INVALID_GGUF,
          "the file of model \"" + model.id() + "\" is missing: " + file
              + " (download it again: rbee model download " + model.source() + ")");
    }
    try {
      LlamaSafety.check(GgufFile.read(file));
    } catch (InvalidGgufException e) {
      throw new OperationException(ErrorKind.INVALID_GGUF, e.getMessage(), e);
    }
  }

  /**
   * Checks a {@code cuda:N} device: GPU N exists here and a CUDA-enabled llama.cpp library
   * folder was given. {@code cpu} always passes. Returns the device's description.
   */
  DeviceInfo device(String device, Path llamaLibDir) {
    List<DeviceInfo> found = devices.get();
    if (device.equals("cpu")) {
      return found.stream().filter(d -> d.id().equals("cpu")).findFirst()
          .orElse(new DeviceInfo("cpu", "cpu", "CPU", null, null, null));
    }
    DeviceInfo gpu = found.stream().filter(d -> d.id().equals(device)).findFirst()
        .orElseThrow(() -> new OperationException(ErrorKind.CUDA_UNAVAILABLE,
            "no GPU " + device + " on hive " + hiveId + " (" + gpus(found) + ")"));
    if (llamaLibDir == null) {
      throw new OperationException(ErrorKind.CUDA_UNAVAILABLE,
          device + " needs a CUDA-enabled llama.cpp library and hive " + hiveId
              + " has none: build llama.cpp's Java binding (de.kherud:llama) with GGML_CUDA=ON"
              + " and start the hive with --llama-lib DIR or RBEE_LLAMA_LIB_DIR=DIR pointing at"
              + " the folder holding libjllama.so (see " + CUDA_DOCS + ")");
    }
    if (!Files.isRegularFile(llamaLibDir.resolve("libjllama.so"))) {
      throw new OperationException(ErrorKind.CUDA_UNAVAILABLE,
          "the llama.cpp library folder " + llamaLibDir + " holds no libjllama.so (see "
              + CUDA_DOCS + ")");
    }
    return gpu;
  }

  private static String gpus(List<DeviceInfo> found) {
    List<String> gpus = found.stream()
        .filter(d -> d.kind().equals("cuda"))
        .map(d -> d.id() + " " + d.name())
        .toList();
    return gpus.isEmpty()
        ? "it has no NVIDIA GPU that nvidia-smi reports"
        : "GPUs: " + String.join(", ", gpus);
  }
}
