package io.rbee.worker.inference;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;

/**
 * A {@code cuda:N} device was asked for but cannot be used (no CUDA build of llama.cpp, no such
 * GPU, a missing CUDA runtime). Kind {@link ErrorKind#CUDA_UNAVAILABLE}; never answered by running on the
 * CPU instead.
 */
public class CudaUnavailableException extends OperationException {
  /** Where users read how to provide a CUDA build. */
  public static final String HOW_TO = "build de.kherud's java-llama.cpp with -DGGML_CUDA=ON and"
      + " point --llama-lib or RBEE_LLAMA_LIB_DIR at the folder holding its libjllama.so (see"
      + " docs/OPERATIONS.md#cuda)";

  public CudaUnavailableException(String message) {
    super(ErrorKind.CUDA_UNAVAILABLE, message);
  }

  public CudaUnavailableException(String message, Throwable cause) {
    super(ErrorKind.CUDA_UNAVAILABLE, message, cause);
  }
}
