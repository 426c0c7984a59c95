package io.rbee.worker.inference;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.OperationHandler;
import java.util.function.Supplier;

/**
 * Runs {@code Infer} jobs on the worker's engine: narrates {@code infer_start}, streams every
 * piece of text as a {@code token} event, puts the {@link InferStats} into {@code done.stats}
 * and narrates {@code infer_done}. A cancelled job (DELETE, or every follower gone) stops within
 * one token and ends cancelled.
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
      case Operation.Embed embed -> throw unsupported(embed); // TODO(issue 8): embeddings
    }
  }

  private void infer(Operation.Infer infer, JobContext job) {
    LlamaEngine llama = engine.get();
    if (llama == null) {
      throw new OperationException(ErrorKind.WORKER_LOADING,
          "worker " + workerId + " is still loading " + modelId + "; try again when its"
              + " /health says ready");
    }
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
    int promptTokens = llama.promptTokens(infer.prompt());
    job.narrate("infer_start").workerId(workerId).model(modelId)
        .device(llama.device())
        .human("Generating up to {} tokens from a {}-token prompt (temperature {}, top_p {},"
            + " top_k {}, seed {})", infer.maxTokens(), promptTokens, infer.temperature(),
            infer.topP(), infer.topK(), infer.seed() == null ? "random" : infer.seed())
        .emit();
    return llama.generate(infer, job::token, job::cancelled);
  }
}
