package io.rbee.worker.inference;

import io.rbee.gguf.GgufFile;
import io.rbee.gguf.TinyLlama;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens a random-weight model must not generate. Alone, a byte token such as
 * {@code <0xC3>} is half a UTF-8 character: a trained model emits whole sequences, a random one
 * emits garbage, so for models marked {@code rbee.random_weights} the high and control bytes
 * (keeping tab and newline) and the unknown and start tokens are switched off. Trained models
 * are left alone: their byte tokens spell characters outside the vocabulary.
 */
public final class TokenSuppression {
  private static final int TYPE_BYTE = 6;

  private TokenSuppression() {}

  /** The token ids to disable when generating with {@code model} (often none). */
  public static List<Integer> forModel(GgufFile model) {
    if (!Boolean.TRUE.equals(model.metadata().get(TinyLlama.RANDOM_WEIGHTS_KEY))) {
      return List.of();
    }
    List<?> tokens = model.array("tokenizer.ggml.tokens");
    List<?> types = model.array("tokenizer.ggml.token_type");
    List<Integer> ids = new ArrayList<>();
    if (tokens == null) {
      return ids;
    }
    for (int id = 0; id < tokens.size(); id++) {
      boolean isByte = types != null && id < types.size()
          && types.get(id) instanceof Number n && n.intValue() == TYPE_BYTE;
      if (isByte && unprintable(String.valueOf(tokens.get(id)))) {
        ids.add(id);
      }
    }
    Long eos = model.number("tokenizer.ggml.eos_token_id");
    for (String key : List.of("tokenizer.ggml.unknown_token_id", "tokenizer.ggml.bos_token_id")) {
      Long id = model.number(key);
      if (id != null && !id.equals(eos) && !ids.contains(id.intValue())) {
        ids.add(id.intValue());
      }
    }
    return ids;
  }

  /** {@code <0xXX>} for a byte that is not printable ASCII, tab or newline. */
  private static boolean unprintable(String token) {
    if (!token.matches("<0x[0-9A-Fa-f]{2}>")) {
      return false;
    }
    int b = Integer.parseInt(token.substring(3, 5), 16);
    return b >= 0x7f || (b < 0x20 && b != '\t' && b != '\n');
  }
}
