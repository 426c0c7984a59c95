package io.rbee.gguf;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The built-in demo model: a llama model with random weights (about half a megabyte) that rbee
 * writes itself, so a cluster can be tried without downloading anything. It produces word salad
 * from common English words; it is not trained.
 */
public final class DemoModel {
  /** The catalog id users type: {@code rbee model download demo}. */
  public static final String ID = "demo";

  public static final String FILE_NAME = "rbee-demo-random-weights.gguf";

  /** The demo model's {@code general.name}. */
  public static final String NAME = TinyLlama.Spec.DEMO.name();

  private DemoModel() {}

  /** Writes the demo model to {@code file}: the same bytes every time, on every machine. */
  public static void write(Path file) throws IOException {
    TinyLlama.write(file, TinyLlama.Spec.DEMO);
  }
}
