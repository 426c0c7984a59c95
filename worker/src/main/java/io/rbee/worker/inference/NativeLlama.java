package io.rbee.worker.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Chooses which llama.cpp native library this process loads, once: the CPU build inside the
 * {@code de.kherud:llama} jar, or a CUDA build from a folder. {@code de.kherud}'s loader quietly
 * falls back to its CPU build when another library fails to load, so a CUDA library is loaded
 * here first, where a failure can still be reported.
 */
final class NativeLlama {
  static final String LIB_PATH_PROPERTY = "de.kherud.llama.lib.path";
  static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";
  static final String LIB_NAME = "libjllama.so";

  /** Where the loaded library came from: null (none yet), "cpu", or the CUDA folder. */
  private static String loaded;

  private NativeLlama() {}

  /** Makes sure the CPU build will be (or was) loaded; fails if a CUDA build already was. */
  static synchronized void useCpu() {
    if (loaded != null && !loaded.equals("cpu")) {
      throw new IllegalStateException("this process already loaded llama.cpp from " + loaded);
    }
    ensureTmpDir();
    loaded = "cpu";
  }

  /**
   * Loads the CUDA build of llama.cpp from {@code libDir} (or {@code RBEE_LLAMA_LIB_DIR}) for
   * GPU {@code gpu}, or throws {@link CudaUnavailableException} saying what is missing.
   */
  static synchronized void useCuda(int gpu, Path libDir) {
    String device = "cuda:" + gpu;
    if (libDir == null) {
      String env = System.getenv("RBEE_LLAMA_LIB_DIR");
      libDir = env == null || env.isBlank() ? null : Path.of(env);
    }
    if (libDir == null) {
      throw new CudaUnavailableException(device + " needs a CUDA build of llama.cpp, and none"
          + " was given (the one inside de.kherud:llama 4.2.0 runs on the CPU only): "
          + CudaUnavailableException.HOW_TO);
    }
    Path lib = libDir.toAbsolutePath().resolve(LIB_NAME);
    if (!Files.isRegularFile(lib)) {
      throw new CudaUnavailableException(device + " needs " + LIB_NAME + " in " + libDir
          + ", which has none: " + CudaUnavailableException.HOW_TO);
    }
    if (loaded != null) {
      if (loaded.equals(libDir.toAbsolutePath().toString())) {
        return;
      }
      throw new CudaUnavailableException(device + " cannot be used: this process already"
          + " loaded llama.cpp from " + loaded + "; start a separate worker for " + device);
    }
    int gpus = visibleNvidiaGpus();
    if (gpu >= gpus) {
      throw new CudaUnavailableException(gpus == 0
          ? device + " asked for, but no NVIDIA GPU is visible on this machine"
          : device + " asked for, but this machine has " + gpus + " NVIDIA GPU(s): cuda:0"
              + (gpus > 1 ? "..cuda:" + (gpus - 1) : ""));
    }
    try {
      System.load(lib.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new CudaUnavailableException("the CUDA build " + lib + " does not load (is the CUDA"
          + " 12 runtime installed, e.g. libcudart.so.12 and libcublas.so.12?): "
          + e.getMessage(), e);
    }
    System.setProperty(LIB_PATH_PROPERTY, lib.getParent().toString());
    ensureTmpDir();
    loaded = lib.getParent().toString();
  }

  /**
   * NVIDIA GPUs this process may use: {@code CUDA_VISIBLE_DEVICES} when set, else the driver's
   * list under {@code /proc/driver/nvidia/gpus}, else {@code /dev/nvidiaN} device files.
   */
  static int visibleNvidiaGpus() {
    String visible = System.getenv("CUDA_VISIBLE_DEVICES");
    if (visible != null) {
      String v = visible.trim();
      return v.isEmpty() || v.startsWith("-") ? 0 : v.split(",").length;
    }
    Path proc = Path.of("/proc/driver/nvidia/gpus");
    if (Files.isDirectory(proc)) {
      return count(proc, null);
    }
    return count(Path.of("/dev"), "nvidia\\d+");
  }

  private static int count(Path dir, String namePattern) {
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(p -> namePattern == null
          || p.getFileName().toString().matches(namePattern)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The loader extracts into this folder and fails when it does not exist. */
  private static void ensureTmpDir() {
    String dir = System.getProperty(TMPDIR_PROPERTY);
    if (dir != null) {
      try {
        Files.createDirectories(Path.of(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
