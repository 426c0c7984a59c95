package io.rbee.bench.inference;

import io.rbee.gguf.DemoModel;
import io.rbee.gguf.TinyLlama;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model the inference benchmark runs, written by rbee's own GGUF writer (random weights, no
 * download): {@code demo} is the built-in demo model (embd 64, 2 layers, about 0.6 MB: so fast
 * that per-token overhead shows), {@code medium} a bigger llama of the same family (embd 512,
 * 8 heads, 6 layers, ff 1376, about 78 MB) whose tokens take a few milliseconds each, closer to
 * a small real model on a CPU.
 */
public record BenchModel(String name, String fileName, TinyLlama.Spec spec) {
  public static final BenchModel DEMO =
      new BenchModel("demo", DemoModel.FILE_NAME, TinyLlama.Spec.DEMO);
  public static final BenchModel MEDIUM = new BenchModel("medium", "rbee-bench-medium.gguf",
      new TinyLlama.Spec(512, 8, 8, 6, 1376, 2048, TinyLlama.Spec.DEMO.words(), 7L,
          "rbee bench medium model (random weights, not trained)"));

  public static final List<BenchModel> ALL = List.of(DEMO, MEDIUM);

  /** The model called {@code name}; throws naming the known ones otherwise. */
  public static BenchModel named(String name) {
    return ALL.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown model \"" + name + "\"; known: demo, medium"));
  }

  /** Writes the model into {@code dir} and returns the file. */
  public Path write(Path dir) throws IOException {
    Path file = dir.resolve(fileName);
    TinyLlama.write(file, spec);
    return file;
  }

  /** What a hive downloads to get it: {@code demo}, or the URL the bench serves it at. */
  public boolean builtIn() {
    return this == DEMO;
  }
}
