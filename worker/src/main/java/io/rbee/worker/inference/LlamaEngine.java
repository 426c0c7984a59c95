package io.rbee.worker.inference;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.GpuSplitMode;
import io.rbee.gguf.GgufFile;
import io.rbee.gguf.InvalidGgufException;
import io.rbee.gguf.LlamaSafety;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.limits.LlamaThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One model loaded into llama.cpp on one device, generating raw completions (no chat template).
 *
 * <p>Threading: {@link #generate} runs one generation at a time (callers queue, in order, on
 * the engine's lock); {@link #close} waits for a running generation to end. Temperature 0 is greedy and
 * deterministic; any other temperature with the same {@code seed} repeats its output.
 */
public final class LlamaEngine implements AutoCloseable {
  /** The context used at most, whatever the model was trained for: bounds KV-cache memory. */
  public static final int MAX_CONTEXT = 4096;
  private static final int DEFAULT_CONTEXT = 2048;

  private final LlamaModel model;
  private final GgufFile gguf;
  private final String device;
  private final int threads;
  private final int contextSize;
  private final boolean addBos;
  private final List<Integer> suppressed;
  /** How long {@link #close} waits for a running generation to end. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ReentrantLock lock = new ReentrantLock(true);
  private volatile boolean closed;

  private LlamaEngine(LlamaModel model, GgufFile gguf, String device, int threads,
      int contextSize) {
    this.model = model;
    this.gguf = gguf;
    this.device = device;
    this.threads = threads;
    this.contextSize = contextSize;
    this.addBos = !Boolean.FALSE.equals(gguf.metadata().get("tokenizer.ggml.add_bos_token"));
    this.suppressed = TokenSuppression.forModel(gguf);
  }

  /**
   * Checks and loads {@code modelFile} on {@code device} ({@code "cpu"} or {@code "cuda:N"}),
   * computing with {@code threads} CPU threads (prompt and generation alike). {@code llamaLibDir} is the folder of a CUDA build of {@code libjllama.so} (null: the
   * {@code RBEE_LLAMA_LIB_DIR} environment variable); only {@code cuda:N} uses it.
   *
   * @throws IllegalArgumentException for a malformed device
   * @throws OperationException kind {@code model_not_found}, {@code invalid_gguf} (checked
   *     before llama.cpp sees the file, so a bad file cannot abort the JVM), {@code
   *     model_load_failed} (llama.cpp refused it), or {@link CudaUnavailableException}
   */
  public static LlamaEngine load(Path modelFile, String device, Path llamaLibDir,
      int threads) {
    int gpu = parseDevice(device);
    LlamaThreads.check("threads", threads);
    if (!Files.exists(modelFile)) {
      throw new OperationException(ErrorKind.MODEL_NOT_FOUND, "model file " + modelFile
          + " does not exist");
    }
    GgufFile gguf;
    try {
      gguf = GgufFile.read(modelFile);
      LlamaSafety.check(gguf);
    } catch (InvalidGgufException e) {
      throw new OperationException(ErrorKind.INVALID_GGUF, e.getMessage(), e);
    }
    ModelParameters params = modelParameters(modelFile, threads);
    if (gpu < 0) {
      NativeLlama.useCpu();
    } else {
      NativeLlama.useCuda(gpu, llamaLibDir);
      params.setGpuLayers(999).setSplitMode(GpuSplitMode.NONE).setMainGpu(gpu);
    }
    Long trained = gguf.contextLength();
    int ctx = trained == null || trained <= 0 ? DEFAULT_CONTEXT
        : (int) Math.min(trained, MAX_CONTEXT);
    params.setCtxSize(ctx);
    try {
      return new LlamaEngine(new LlamaModel(params), gguf, device, threads, ctx);
    } catch (RuntimeException e) { // de.kherud's LlamaException is not public
      throw new OperationException(ErrorKind.MODEL_LOAD_FAILED, "llama.cpp could not load "
          + modelFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The load parameters every rbee llama.cpp model starts from (workers and the benchmark's
   * direct reference alike): the file, log off, and the thread count set explicitly for both
   * the prompt (batch) and the generation, never llama.cpp's default.
   */
  public static ModelParameters modelParameters(Path modelFile, int threads) {
    return new ModelParameters()
        .setModel(modelFile.toAbsolutePath().toString())
        .disableLog()
        .setThreads(threads)
        .setThreadsBatch(threads);
  }

  /** -1 for {@code cpu}, N for {@code cuda:N}. */
  static int parseDevice(String device) {
    if ("cpu".equals(device)) {
      return -1;
    }
    if (device != null && device.matches("cuda:\\d{1,2}")) {
      return Integer.parseInt(device.substring(5));
    }
    throw new IllegalArgumentException(
        "device must be \"cpu\" or \"cuda:N\" (N = GPU index), got \"" + device + "\"");
  }

  /** The model file's header, as checked before loading. */
  public GgufFile gguf() {
    return gguf;
  }

  public String device() {
    return device;
  }

  /** The CPU threads llama.cpp computes with. */
  public int threads() {
    return threads;
  }

  /** The context this engine holds (prompt and generated tokens together). */
  public int contextSize() {
    return contextSize;
  }

  /** Tokens {@code prompt} takes, counting the start token the model adds. */
  public int promptTokens(String prompt) {
    return model.encode(prompt).length + (addBos ? 1 : 0);
  }

  /** The llama.cpp parameters {@link #generate} uses for {@code req} (stop strings aside). */
  public InferenceParameters parameters(Operation.Infer req) {
    return parameters(req, suppressed);
  }

  /**
   * The llama.cpp parameters for {@code req} with the {@code suppressed} token ids switched
   * off (see {@link TokenSuppression}); what the worker runs, for references that must do
   * the same work (benchmarks).
   */
  public static InferenceParameters parameters(Operation.Infer req, List<Integer> suppressed) {
    InferenceParameters p = new InferenceParameters(req.prompt())
        .setNPredict(req.maxTokens())
        .setTemperature(req.temperature().floatValue())
        .setTopP(req.topP().floatValue())
        .setTopK(req.topK())
        .setCachePrompt(false);
    if (req.seed() != null) {
      // llama.cpp seeds are uint32 and 0xFFFFFFFF means "random": map into 0..2^32-2
      p.setSeed((int) Long.remainderUnsigned(req.seed(), 0xFFFFFFFFL));
    }
    if (!suppressed.isEmpty()) {
      p.disableTokenIds(suppressed);
    }
    return p;
  }

  /**
   * Generates a completion of {@code req.prompt()}, passing each piece of text to {@code onText}
   * on the calling thread as soon as it is known. Stop strings end the text before them (they
   * are never emitted). {@code cancelled} is polled as each token arrives: once it is true,
   * generation stops within one token (no more text is passed on) and the stats say
   * {@code "cancelled"}.
   *
   * @throws OperationException kind {@code prompt_too_long} when the prompt fills the context,
   *     {@code engine_closed} after {@link #close}
   */
  public InferStats generate(Operation.Infer req, Consumer<String> onText,
      BooleanSupplier cancelled) {
    lock.lock();
    try {
      if (closed) {
        throw new OperationException(ErrorKind.ENGINE_CLOSED, "the model was unloaded");
      }
      return generateLocked(req, onText, cancelled);
    } finally {
      lock.unlock();
    }
  }

  private InferStats generateLocked(Operation.Infer req, Consumer<String> onText,
      BooleanSupplier cancelled) {
    long start = System.nanoTime();
    int tokensIn = promptTokens(req.prompt());
    if (tokensIn >= contextSize) {
      throw new OperationException(ErrorKind.PROMPT_TOO_LONG, "the prompt is " + tokensIn
          + " tokens but the context holds " + contextSize);
    }
    StopMatcher stops = new StopMatcher(req.stop());
    int tokensOut = 0;
    boolean wasCancelled = cancelled.getAsBoolean();
    if (!wasCancelled) {
      LlamaIterator it = model.generate(parameters(req)).iterator();
      boolean finished = false;
      boolean received = false;
      try {
        while (true) {
          LlamaOutput out = it.next();
          received = true;
          // the iterator ends after the final result, which carries no new token
          finished = !it.hasNext();
          if (!finished && cancelled.getAsBoolean()) {
            wasCancelled = true; // drop this token: cancelled means no more text
            break;
          }
          if (!finished) {
            tokensOut++;
          }
          emit(onText, stops.feed(out.text));
          if (finished || stops.matched()) {
            break;
          }
        }
      } finally {
        // Cancel only a task that has produced a result: llama.cpp's server puts a cancel
        // ahead of queued tasks, so cancelling one not yet started is lost, and the orphan
        // then occupies the slot for its whole max_tokens, stalling the next request.
        if (!finished && received) {
          it.cancel();
        }
      }
    }
    emit(onText, stops.flush());
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    String reason = wasCancelled ? InferStats.CANCELLED
        : stops.matched() ? InferStats.STOP
        : tokensOut >= req.maxTokens() || tokensIn + tokensOut >= contextSize
            ? InferStats.MAX_TOKENS
        : InferStats.EOS;
    double perSecond = durationMs == 0 ? 0 : Math.round(tokensOut * 10_000.0 / durationMs) / 10.0;
    return new InferStats(tokensIn, tokensOut, durationMs, perSecond, reason);
  }

  private static void emit(Consumer<String> onText, String text) {
    if (!text.isEmpty()) {
      onText.accept(text);
    }
  }

  /**
   * Unloads the model once a running generation has ended (cancel it first). Waits at most
   * {@link #CLOSE_WAIT}: a generation that does not end by then keeps the model, which the
   * process exit releases. Idempotent.
   */
  @Override
  public void close() {
    try {
      if (!lock.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        closed = true;
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      if (!closed) {
        closed = true;
        model.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
