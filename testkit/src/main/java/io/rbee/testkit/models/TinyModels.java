package io.rbee.testkit.models;

import io.rbee.gguf.DemoModel;
import io.rbee.gguf.GgufValueType;
import io.rbee.gguf.GgufWriter;
import io.rbee.gguf.TinyLlama;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Model files for tests, written into a folder the test owns (a {@code @TempDir}). Each method
 * returns the file it wrote; calling it again rewrites the same bytes. IO failures are thrown
 * unchecked so fixtures stay one line.
 */
public final class TinyModels {
  /**
   * The shape of {@link #tiny}: about 40 KB, loads in milliseconds. Smaller shapes load too, but
   * their greedy output often collapses onto an empty token; this one keeps producing words.
   */
  public static final TinyLlama.Spec TINY = new TinyLlama.Spec(16, 2, 1, 1, 32, 512,
      List.of("the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "big", "red",
          "sun", "is", "up", "in", "sky", "we", "go", "now", "see", "it", ",", "."),
      1L, "tiny test model");

  private TinyModels() {}

  /** The built-in demo model, as {@code dir/rbee-demo-random-weights.gguf}. */
  public static Path demo(Path dir) {
    Path file = dir.resolve(DemoModel.FILE_NAME);
    io(() -> DemoModel.write(file));
    return file;
  }

  /**
   * The smallest reliable llama model, {@code dir/tiny-<seed>.gguf}: different seeds give
   * different weights (and different output), the same seed the same bytes.
   */
  public static Path tiny(Path dir, long seed) {
    Path file = dir.resolve("tiny-" + seed + ".gguf");
    io(() -> TinyLlama.write(file, TINY.withSeed(seed, "tiny test model " + seed)));
    return file;
  }

  /**
   * {@link #tiny} without a {@code tokenizer.chat_template}, as {@code
   * dir/tiny-<seed>-no-template.gguf}: llama.cpp falls back to ChatML for its chats. Same
   * weights and vocabulary as {@code tiny(dir, seed)}.
   */
  public static Path withoutChatTemplate(Path dir, long seed) {
    Path file = dir.resolve("tiny-" + seed + "-no-template.gguf");
    io(() -> TinyLlama.writer(TINY.withSeed(seed, "tiny test model " + seed))
        .remove(TinyLlama.CHAT_TEMPLATE_KEY).write(file));
    return file;
  }

  /**
   * {@link #tiny} whose chat template is {@code template} instead of ChatML, as {@code
   * dir/tiny-<seed>-<name>.gguf}: for templates that misbehave.
   */
  public static Path withChatTemplate(Path dir, long seed, String name, String template) {
    Path file = dir.resolve("tiny-" + seed + "-" + name + ".gguf");
    io(() -> TinyLlama.writer(TINY.withSeed(seed, "tiny test model " + seed))
        .putString(TinyLlama.CHAT_TEMPLATE_KEY, template).write(file));
    return file;
  }

  /** An HTML error page saved as {@code dir/garbage.gguf}: not GGUF at all. */
  public static Path garbage(Path dir) {
    Path file = dir.resolve("garbage.gguf");
    io(() -> Files.writeString(file,
        "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"));
    return file;
  }

  /** The demo model cut in half, as an interrupted download leaves it: {@code truncated.gguf}. */
  public static Path truncated(Path dir) {
    Path file = dir.resolve("truncated.gguf");
    io(() -> {
      Path whole = Files.createTempFile(dir, "whole", ".gguf");
      try {
        DemoModel.write(whole);
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
      } finally {
        Files.deleteIfExists(whole);
      }
    });
    return file;
  }

  /**
   * A well-formed tiny model whose vocabulary has one token twice ({@code duplicate-vocab.gguf}):
   * {@link io.rbee.gguf.LlamaSafety} rejects it; llama.cpp itself would abort the JVM on it.
   */
  public static Path duplicateVocab(Path dir) {
    Path file = dir.resolve("duplicate-vocab.gguf");
    io(() -> {
      GgufWriter w = TinyLlama.writer(TINY.withSeed(1, "duplicate vocabulary"));
      @SuppressWarnings("unchecked")
      List<String> tokens = new ArrayList<>((List<String>) w.get("tokenizer.ggml.tokens"));
      tokens.set(tokens.size() - 1, "\u2581cat");
      w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens);
      w.write(file);
    });
    return file;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void io(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
