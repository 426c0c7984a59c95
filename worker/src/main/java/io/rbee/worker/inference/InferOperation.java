package io.rbee.worker.inference;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.Embeddings;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.OperationHandler;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs {@code Infer} and {@code Embed} jobs on the worker's engine. Infer narrates
 * {@code infer_start}, streams every piece of text as a {@code token} event, puts the
 * {@link InferStats} into {@code done.stats} and narrates {@code infer_done}; a chat (messages)
 * first becomes a prompt by the model's chat template and then generates as a raw prompt.
 * Embed narrates {@code embed_start}, emits one {@link Embeddings} {@code result} and narrates
 * {@code embed_done}. Both hold the generation slot while they run. A cancelled job (DELETE,
 * or every follower gone) stops within one token (or one input) and ends cancelled.
 */
public final class InferOperation implements OperationHandler {
  private final Supplier<LlamaEngine> engine;
  private final String workerId;
  private final String modelId;
  private final Gate generationSlots;

  /**
   * {@code engine} gives null while the model is still loading; {@code generationSlots} is how
   * many generations run at once (others wait there, narrated).
   */
  public InferOperation(Supplier<LlamaEngine> engine, String workerId, String modelId,
      Gate generationSlots) {
    this.engine = engine;
    this.workerId = workerId;
    this.modelId = modelId;
    this.generationSlots = generationSlots;
  }

  @Override
  public void execute(Operation operation, JobContext job) {
    switch (operation) {
      case Operation.OnWorker op -> run(op, job);
      case Operation.OnQueen op -> throw unsupported(op);
      case Operation.OnHive op -> throw unsupported(op);
    }
  }

  private static OperationException unsupported(Operation op) {
    return new OperationException(ErrorKind.UNSUPPORTED_OPERATION,
        "a worker runs " + String.join(", ", Daemon.WORKER.operations()) + " only, got "
            + op.name());
  }

  private void run(Operation.OnWorker op, JobContext job) {
    switch (op) {
      case Operation.Infer infer -> infer(infer, job);
      case Operation.Embed embed -> embed(embed, job);
    }
  }

  private LlamaEngine loaded() {
    LlamaEngine llama = engine.get();
    if (llama == null) {
      throw new OperationException(ErrorKind.WORKER_LOADING,
          "worker " + workerId + " is still loading " + modelId + "; try again when its"
              + " /health says ready");
    }
    return llama;
  }

  private void embed(Operation.Embed embed, JobContext job) {
    LlamaEngine llama = loaded();
    LlamaEngine.Embedded out;
    Gate.Permit slot = generationSlots.enter(job);
    try {
      job.narrate("embed_start").workerId(workerId).model(modelId).device(llama.device())
          .human("Embedding {} input(s) into {}-dimensional vectors", embed.input().size(),
              llama.embeddingLength())
          .emit();
      out = llama.embed(embed.input(), job::cancelled);
    } finally {
      slot.close();
    }
    if (!out.cancelled()) {
      int dimensions = out.vectors().isEmpty() ? llama.embeddingLength()
          : out.vectors().get(0).length;
      job.result(new Embeddings(modelId, dimensions, out.tokensIn(), out.vectors()));
      job.stats(Map.of("tokens_in", out.tokensIn(), "duration_ms", out.durationMs()));
    }
    job.narrate("embed_done").workerId(workerId).model(modelId).device(llama.device())
        .durationMs(out.durationMs())
        .human(out.cancelled() ? "Cancelled after {} of {} input(s) ({} tokens) in {} ms"
            : "Embedded {} of {} input(s) ({} tokens) in {} ms", out.vectors().size(),
            embed.input().size(), out.tokensIn(), out.durationMs())
        .emit();
    if (out.cancelled()) {
      throw new JobCancelledException();
    }
  }

  private void infer(Operation.Infer infer, JobContext job) {
    LlamaEngine llama = loaded();
    Gate.Permit slot = generationSlots.enter(job);
    InferStats stats;
    try { // the engine is used by one job at a time: tokenising too
      stats = generate(infer, job, llama);
    } finally {
      slot.close();
    }
    job.stats(stats.toMap());
    job.narrate("infer_done").workerId(workerId).model(modelId)
        .device(llama.device()).durationMs(stats.durationMs())
        .human("Generated {} tokens in {} ms ({} tok/s), stopped by {}", stats.tokensOut(),
            stats.durationMs(), stats.tokensPerSecond(), stats.stopReason())
        .emit();
    if (InferStats.CANCELLED.equals(stats.stopReason())) {
      throw new JobCancelledException();
    }
  }

  private InferStats generate(Operation.Infer infer, JobContext job, LlamaEngine llama) {
    LlamaEngine.Prompt prompt = llama.prompt(infer);
    // narrated while llama.cpp reads the prompt, not before it starts
    IntConsumer started = promptTokens -> job.narrate("infer_start").workerId(workerId)
        .model(modelId).device(llama.device())
        .human("Generating up to {} tokens from {} (temperature {}, top_p {}, top_k {}, seed {})",
            infer.maxTokens(), from(infer, promptTokens, llama), infer.temperature(),
            infer.topP(), infer.topK(), infer.seed() == null ? "random" : infer.seed())
        .emit();
    return llama.generate(prompt, started, job::token, job::cancelled);
  }

  private static String from(Operation.Infer infer, int promptTokens, LlamaEngine llama) {
    return infer.chat()
        ? "a chat of " + infer.messages().size() + " message(s) (" + promptTokens
            + " tokens, by " + llama.chatTemplateName() + ")"
        : "a " + promptTokens + "-token prompt";
  }
}
