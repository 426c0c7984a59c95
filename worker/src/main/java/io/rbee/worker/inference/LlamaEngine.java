package io.rbee.worker.inference;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.GpuSplitMode;
import de.kherud.llama.args.PoolingType;
import io.rbee.gguf.GgufFile;
import io.rbee.gguf.InvalidGgufException;
import io.rbee.gguf.LlamaSafety;
import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.limits.LlamaThreads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One model loaded into llama.cpp on one device: raw completions ({@link #generate}), chat
 * prompts from messages by the model's chat template ({@link #chatPrompt}), and embeddings
 * ({@link #embed}). Embedding mode is always on; it does not change what generation produces.
 *
 * <p>Threading: one native call at a time: {@link #generate}, {@link #chatPrompt} and
 * {@link #embed} queue, in order, on the engine's lock; {@link #close} waits for a running
 * one to end. Temperature 0 is greedy and deterministic; any other temperature with the same
 * {@code seed} repeats its output.
 */
public final class LlamaEngine implements AutoCloseable {
  /** The context used at most, whatever the model was trained for: bounds KV-cache memory. */
  public static final int MAX_CONTEXT = 4096;
  private static final int DEFAULT_CONTEXT = 2048;
  /**
   * llama.cpp's physical batch (its default {@code n_ubatch}): an embedding input must fit it
   * whole, start token included; a longer one makes llama.cpp refuse it.
   */
  public static final int EMBED_BATCH = 512;

  private final LlamaModel model;
  private final GgufFile gguf;
  private final String device;
  private final int threads;
  private final int contextSize;
  private final boolean addBos;
  private final boolean tokensBoundedByBytes;
  private final List<Integer> suppressed;
  private final ChatTemplate chatTemplate;
  /** How long {@link #close} waits for a running generation to end. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ReentrantLock lock = new ReentrantLock(true);
  private volatile boolean closed;

  private LlamaEngine(LlamaModel model, GgufFile gguf, ChatTemplate chatTemplate,
      String device, int threads, int contextSize) {
    this.model = model;
    this.gguf = gguf;
    this.device = device;
    this.threads = threads;
    this.contextSize = contextSize;
    this.addBos = !Boolean.FALSE.equals(gguf.metadata().get("tokenizer.ggml.add_bos_token"));
    this.tokensBoundedByBytes = BYTE_BOUNDED_TOKENIZERS.contains(
        gguf.metadata().get("tokenizer.ggml.model"));
    this.suppressed = TokenSuppression.forModel(gguf);
    this.chatTemplate = chatTemplate;
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
    if (!declaresPooling(gguf)) {
      // llama.cpp's own choice for a generative model, NONE, gives every input the same
      // vector (the start token's); MEAN aborts the process on a llama model (build 4916)
      params.setPoolingType(PoolingType.LAST);
    }
    ChatTemplate template = ChatTemplate.of(gguf);
    if (template.loadTemplate() != null) {
      params.setChatTemplate(template.loadTemplate());
    }
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
      LlamaModel model = new LlamaModel(params);
      return new LlamaEngine(model, gguf, template.asLoaded(model::applyTemplate), device,
          threads, ctx);
    } catch (RuntimeException e) { // de.kherud's LlamaException is not public
      throw new OperationException(ErrorKind.MODEL_LOAD_FAILED, "llama.cpp could not load "
          + modelFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The load parameters every rbee llama.cpp model starts from (workers and the benchmark's
   * direct reference alike): the file, log off, the thread count set explicitly for both the
   * prompt (batch) and the generation, never llama.cpp's default, embedding mode and Jinja chat
   * templates on. ({@link #load} adds the device, context, pooling and chat template.)
   */
  public static ModelParameters modelParameters(Path modelFile, int threads) {
    return new ModelParameters()
        .setModel(modelFile.toAbsolutePath().toString())
        .disableLog()
        .setThreads(threads)
        .setThreadsBatch(threads)
        .enableEmbedding()
        .enableJinja();
  }

  /** True when the model names its own pooling ({@code <arch>.pooling_type}, embedding models). */
  private static boolean declaresPooling(GgufFile gguf) {
    return gguf.architecture() != null
        && gguf.metadata().containsKey(gguf.architecture() + ".pooling_type");
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

  /** Whether the model carries its own chat template (else llama.cpp falls back to ChatML). */
  public boolean hasChatTemplate() {
    return chatTemplate.modelHasOne();
  }

  /** How narration names the chat template this engine applies. */
  public String chatTemplateName() {
    return chatTemplate.describe();
  }

  /** The length of the vectors {@link #embed} returns (the model's embedding size). */
  public int embeddingLength() {
    Long n = gguf.number(gguf.architecture() + ".embedding_length");
    return n == null ? 0 : n.intValue();
  }

  /** The context this engine holds (prompt and generated tokens together). */
  public int contextSize() {
    return contextSize;
  }

  /** Tokens {@code prompt} takes, counting the start token the model adds. */
  public int promptTokens(String prompt) {
    return model.encode(prompt).length + (addBos ? 1 : 0);
  }

  /**
   * The prompt the model's chat template (or llama.cpp's ChatML fallback) makes of
   * {@code messages}, ending with the assistant's turn: what {@link #generate} then completes.
   *
   * @throws OperationException kind {@code chat_template_failed} when the template refuses the
   *     messages or cannot be applied, {@code engine_closed} after {@link #close}
   */
  public String chatPrompt(List<ChatMessage> messages) {
    lock.lock();
    try {
      requireOpen();
      return chatTemplate.apply(messages, model::applyTemplate);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code req} with its messages turned into the prompt by {@link #chatPrompt}: a raw request
   * that generates exactly as any other. A raw {@code req} is returned as it is.
   */
  public Operation.Infer asRaw(Operation.Infer req) {
    if (!req.chat()) {
      return req;
    }
    return new Operation.Infer(req.hiveId(), req.model(), chatPrompt(req.messages()),
        req.maxTokens(), req.temperature(), req.topP(), req.topK(), req.seed(), req.stop(),
        null, req.keepAlive());
  }

  /**
   * The tokenizers ({@code tokenizer.ggml.model}) whose token count a prompt's length bounds:
   * SentencePiece ({@code llama}; a token never spans less than a byte of the text it reads,
   * in which a space becomes the 3-byte {@code ▁} and each piece between special tokens may
   * gain a leading one) and byte-level BPE ({@code gpt2}; at most two tokens per byte).
   * Others (T5's unigram, WordPiece, RWKV) normalise text first: their prompts are always
   * counted before generating.
   */
  private static final Set<Object> BYTE_BOUNDED_TOKENIZERS = Set.of("llama", "gpt2");

  /**
   * What a byte-bounded tokenizer makes of a prompt of {@code b} UTF-8 bytes at most: 3 tokens
   * per byte (escaped spaces), 1 per special token and 3 per leading space around one (a
   * special token is at least a byte), start and end tokens: less than {@code 4b + 8}.
   */
  private static long maxTokens(long bytes) {
    return 4 * bytes + 8;
  }

  /** A raw request and, when it was counted, the tokens its prompt takes: made by {@link #prompt}. */
  public static final class Prompt {
    /** {@link #tokens} of a prompt that fits the context whatever it holds: not yet counted. */
    public static final int UNCOUNTED = -1;

    private final Operation.Infer raw;
    private final int tokens;

    private Prompt(Operation.Infer raw, int tokens) {
      this.raw = raw;
      this.tokens = tokens;
    }

    /** The request, raw: a chat's messages already made into its prompt. */
    public Operation.Infer raw() {
      return raw;
    }

    /**
     * Tokens the prompt takes, the model's start token included; {@link #UNCOUNTED} for a
     * prompt too short to fill the context, which {@link #generate} counts while llama.cpp
     * reads it.
     */
    public int tokens() {
      return tokens;
    }
  }

  /**
   * {@code req} made raw ({@link #asRaw}), for {@link #generate(Prompt, IntConsumer, Consumer,
   * BooleanSupplier)}. A prompt that might fill the context is tokenised here, once, so that a
   * {@code prompt_too_long} is known before llama.cpp starts; one whose bytes prove it fits
   * ({@link #MAX_TOKENS_PER_BYTE}) is left {@link Prompt#UNCOUNTED}: counting it first would
   * delay the first token by a tokenisation that llama.cpp does again anyway.
   */
  public Prompt prompt(Operation.Infer req) {
    Operation.Infer raw = asRaw(req);
    if (surelyFits(raw.prompt())) {
      return new Prompt(raw, Prompt.UNCOUNTED);
    }
    lock.lock();
    try {
      requireOpen();
      return new Prompt(raw, promptTokens(raw.prompt()));
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code prompt} leaves room in the context whatever tokens it makes. */
  private boolean surelyFits(String prompt) {
    if (!tokensBoundedByBytes || maxTokens(prompt.length()) >= contextSize) {
      return false; // a char is at least a UTF-8 byte: this one might not fit
    }
    return maxTokens(prompt.getBytes(StandardCharsets.UTF_8).length) < contextSize;
  }

  /**
   * The vectors of one {@link #embed} call, in input order, and the tokens they took; when
   * {@code cancelled}, those of the inputs embedded before it was.
   */
  public record Embedded(List<float[]> vectors, int tokensIn, long durationMs,
      boolean cancelled) {}

  /**
   * Embeds each of {@code inputs} in order (llama.cpp's embedding mode: the model's pooling,
   * else the last token's state; L2-normalised). {@code cancelled} is polled before each
   * input: once true, no more are embedded and the result says so. Every input's length is
   * checked before the first is embedded.
   *
   * @throws OperationException kind {@code prompt_too_long} naming the first input that does
   *     not fit {@link #EMBED_BATCH} (or the context), {@code embed_failed} when llama.cpp
   *     refuses an input, {@code engine_closed} after {@link #close}
   */
  public Embedded embed(List<String> inputs, BooleanSupplier cancelled) {
    lock.lock();
    try {
      requireOpen();
      long start = System.nanoTime();
      int limit = Math.min(EMBED_BATCH, contextSize);
      int[] tokens = new int[inputs.size()];
      for (int i = 0; i < inputs.size(); i++) {
        tokens[i] = promptTokens(inputs.get(i));
        if (tokens[i] > limit) {
          throw new OperationException(ErrorKind.PROMPT_TOO_LONG, "input[" + i + "] is "
              + tokens[i] + " tokens but an embedding takes at most " + limit);
        }
      }
      List<float[]> vectors = new ArrayList<>(inputs.size());
      int tokensIn = 0;
      boolean stopped = false;
      for (int i = 0; i < inputs.size(); i++) {
        if (cancelled.getAsBoolean()) {
          stopped = true;
          break;
        }
        try {
          vectors.add(model.embed(inputs.get(i)));
        } catch (RuntimeException e) { // de.kherud's LlamaException is not public
          throw new OperationException(ErrorKind.EMBED_FAILED, "llama.cpp could not embed"
              + " input[" + i + "]: " + e.getMessage(), e);
        }
        tokensIn += tokens[i];
      }
      return new Embedded(vectors, tokensIn, (System.nanoTime() - start) / 1_000_000, stopped);
    } finally {
      lock.unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new OperationException(ErrorKind.ENGINE_CLOSED, "the model was unloaded");
    }
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
   * @throws IllegalArgumentException for a chat request (make it raw with {@link #asRaw})
   */
  public InferStats generate(Operation.Infer req, Consumer<String> onText,
      BooleanSupplier cancelled) {
    if (req.chat()) {
      throw new IllegalArgumentException("a chat request: turn its messages into a prompt"
          + " first (asRaw)");
    }
    return generate(prompt(req), onText, cancelled);
  }

  /** {@link #generate(Operation.Infer, Consumer, BooleanSupplier)} of a prepared prompt. */
  public InferStats generate(Prompt prompt, Consumer<String> onText, BooleanSupplier cancelled) {
    return generate(prompt, tokens -> { }, onText, cancelled);
  }

  /**
   * {@link #generate(Prompt, Consumer, BooleanSupplier)}, passing the prompt's token count to
   * {@code started} once on the calling thread, before any text: as soon as llama.cpp has the
   * request, so that what it does (the caller's narration), and the count of an
   * {@link Prompt#UNCOUNTED} prompt, overlap the prompt's processing instead of delaying it;
   * also before a {@code prompt_too_long} is thrown, and when {@code cancelled} is already
   * true.
   */
  public InferStats generate(Prompt prompt, IntConsumer started, Consumer<String> onText,
      BooleanSupplier cancelled) {
    lock.lock();
    try {
      requireOpen();
      return generateLocked(prompt.raw(), prompt.tokens(), started, onText, cancelled);
    } finally {
      lock.unlock();
    }
  }

  private InferStats generateLocked(Operation.Infer req, int counted, IntConsumer started,
      Consumer<String> onText, BooleanSupplier cancelled) {
    long start = System.nanoTime();
    if (counted >= contextSize) {
      started.accept(counted);
      throw new OperationException(ErrorKind.PROMPT_TOO_LONG, "the prompt is " + counted
          + " tokens but the context holds " + contextSize);
    }
    StopMatcher stops = new StopMatcher(req.stop());
    int tokensIn = counted;
    int tokensOut = 0;
    boolean wasCancelled = cancelled.getAsBoolean();
    if (wasCancelled) {
      tokensIn = counted == Prompt.UNCOUNTED ? promptTokens(req.prompt()) : counted;
      started.accept(tokensIn);
    } else {
      LlamaIterator it = model.generate(parameters(req)).iterator(); // llama.cpp starts now
      if (counted == Prompt.UNCOUNTED) {
        // llama.cpp's own server tokenises on other threads while it decodes, so this is safe
        tokensIn = promptTokens(req.prompt());
      }
      started.accept(tokensIn);
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
