package io.rbee.bench.inference;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.GpuSplitMode;
import io.rbee.gguf.GgufFile;
import io.rbee.jobs.Operation;
import io.rbee.worker.inference.LlamaEngine;
import io.rbee.worker.inference.TokenSuppression;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference: llama.cpp through {@code de.kherud:llama}, called directly in this JVM, with
 * the parameters the worker uses (kept in step with {@code LlamaEngine.load} and
 * {@code LlamaEngine.parameters}: the same load parameters ({@code LlamaEngine.modelParameters}:
 * log off, the same explicit thread count), the same context size, all layers on the GPU for
 * {@code cuda:N}, the same sampling settings, no prompt cache, the same seed mapping, the same
 * {@link TokenSuppression}). Not thread-safe.
 */
public final class DirectLlama implements AutoCloseable {
  private static final String LIB_PATH = "de.kherud.llama.lib.path";
  private static final String TMPDIR = "de.kherud.llama.tmpdir";

  private final LlamaModel model;
  private final List<Integer> suppressed;

  /**
   * Throws {@link IllegalArgumentException} when {@code device} is {@code cuda:N} and
   * {@code RBEE_LLAMA_LIB_DIR} does not name the folder of a CUDA build of llama.cpp.
   */
  public static void checkLibrary(String device) {
    if (!device.equals("cpu")) {
      String dir = System.getenv("RBEE_LLAMA_LIB_DIR");
      if (dir == null || dir.isBlank()) {
        throw new IllegalArgumentException(device + " needs RBEE_LLAMA_LIB_DIR: the folder of"
            + " a CUDA build of libjllama.so (see docs/OPERATIONS.md#cuda)");
      }
    }
  }

  /**
   * Chooses this JVM's llama.cpp library before the first model loads: the CPU build inside
   * the jar, extracted into {@code nativeDir} (apart from the workers'), or for {@code cuda:N}
   * the CUDA build in {@code $RBEE_LLAMA_LIB_DIR}, the one the workers are given.
   */
  public static void prepare(Path nativeDir, String device) {
    checkLibrary(device);
    System.setProperty(TMPDIR, nativeDir.toString());
    if (!device.equals("cpu")) {
      System.setProperty(LIB_PATH,
          Path.of(System.getenv("RBEE_LLAMA_LIB_DIR")).toAbsolutePath().toString());
    }
  }

  /**
   * Loads {@code file} on {@code device} ({@code cpu} or {@code cuda:N}), computing with
   * {@code threads} CPU threads, as a worker spawned with that many does.
   */
  public DirectLlama(Path file, String device, int threads) throws Exception {
    GgufFile gguf = GgufFile.read(file);
    Long trained = gguf.contextLength();
    int ctx = trained == null || trained <= 0 ? 2048
        : (int) Math.min(trained, LlamaEngine.MAX_CONTEXT);
    ModelParameters params = LlamaEngine.modelParameters(file, threads).setCtxSize(ctx);
    if (!device.equals("cpu")) {
      params.setGpuLayers(999).setSplitMode(GpuSplitMode.NONE)
          .setMainGpu(Integer.parseInt(device.substring("cuda:".length())));
    }
    this.model = new LlamaModel(params);
    this.suppressed = TokenSuppression.forModel(gguf);
  }

  /**
   * How many of the tokens {@code req} generates make up {@code prefix}, the text of a first
   * token event (greedy generation gives the same tokens every time): the tokens whose text
   * ends within it.
   */
  public int tokensIn(Operation.Infer req, String prefix) {
    InferenceParameters p = LlamaEngine.parameters(req, suppressed);
    LlamaIterator it = model.generate(p).iterator();
    int tokens = 0;
    int length = 0;
    try {
      while (it.hasNext()) {
        LlamaOutput out = it.next();
        length += out.text.length();
        if (!it.hasNext() || length > prefix.length()) {
          break;
        }
        tokens++;
      }
    } finally {
      if (it.hasNext()) {
        it.cancel(); // left running, it would slow (and delay) the next generation
      }
    }
    return Math.max(1, tokens);
  }

  /**
   * The prompt the model's chat template makes of {@code messagesJson} (a JSON list of
   * {@code {"role", "content"}}), as the worker builds it for a chat.
   */
  public String chatPrompt(String messagesJson) {
    return model.applyTemplate("{\"messages\": " + messagesJson + "}");
  }

  /** Generates {@code req} and times it: start is the call, end the last token. */
  public Generation generate(Operation.Infer req) {
    InferenceParameters p = LlamaEngine.parameters(req, suppressed); // the worker's exact work
    return generate(p, System.nanoTime());
  }

  /**
   * Generates {@code req}, the chat {@code messagesJson} made raw by {@link #chatPrompt}, and
   * times it from before the chat template is applied: as a server answering a chat does (the
   * worker applies it to every request), not once outside the clock. Throws
   * {@link IllegalArgumentException} when {@code req}'s prompt is not what the template makes.
   */
  public Generation generateChat(String messagesJson, Operation.Infer req) {
    long start = System.nanoTime();
    if (!chatPrompt(messagesJson).equals(req.prompt())) {
      throw new IllegalArgumentException("the request's prompt is not this chat's");
    }
    return generate(LlamaEngine.parameters(req, suppressed), start);
  }

  private Generation generate(InferenceParameters p, long start) {
    StringBuilder text = new StringBuilder();
    int tokens = 0;
    long first = 0;
    long last = 0;
    LlamaIterator it = model.generate(p).iterator();
    while (true) {
      LlamaOutput out = it.next();
      // as in the worker: the iterator ends after a final result that carries no new token
      if (!it.hasNext()) {
        text.append(out.text);
        break;
      }
      last = System.nanoTime();
      if (tokens++ == 0) {
        first = last;
      }
      text.append(out.text);
    }
    return new Generation(tokens, start, first, last, last, text.toString());
  }

  @Override
  public void close() {
    model.close();
  }
}
