package io.rbee.e2e;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.rbee.gguf.GgufFile;
import io.rbee.jobs.Operation;
import io.rbee.worker.inference.TokenSuppression;
import java.nio.file.Path;

/**
 * llama.cpp called directly in the test JVM (no rbee in between): the reference the streamed
 * text is compared with. Same file, prompt, token budget and greedy sampling; the same tokens
 * are switched off as the worker switches off for random-weight models.
 */
final class LlamaDirect {
  private LlamaDirect() {}

  static String complete(Path model, Operation.Infer infer) throws Exception {
    GgufFile gguf = GgufFile.read(model);
    try (LlamaModel llama = new LlamaModel(new ModelParameters()
        .setModel(model.toString()).disableLog().setCtxSize(512))) {
      return llama.complete(new InferenceParameters(infer.prompt())
          .setNPredict(infer.maxTokens())
          .setTemperature(infer.temperature().floatValue())
          .disableTokenIds(TokenSuppression.forModel(gguf)));
    }
  }
}
