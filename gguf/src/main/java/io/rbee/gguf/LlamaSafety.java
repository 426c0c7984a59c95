package io.rbee.gguf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rejects GGUF files that would make llama.cpp abort the whole process instead of reporting
 * an error (checked against llama.cpp build 4916 as shipped in {@code de.kherud:llama} 4.2.0).
 * Call it before handing a file to native code; a model that passes may still fail to load,
 * but then with a normal exception.
 */
public final class LlamaSafety {
  private static final String CRASH = " (loading it would crash llama.cpp)";

  private LlamaSafety() {}

  /**
   * Throws when {@code file} lacks the metadata llama.cpp needs, has duplicate token strings,
   * an odd attention head dimension, or a llama (SentencePiece) vocabulary without all 256
   * {@code <0xXX>} byte tokens.
   */
  public static void check(GgufFile file) throws InvalidGgufException {
    String arch = file.architecture();
    if (arch == null || arch.isBlank()) {
      throw problem(file, "lacks required metadata general.architecture");
    }
    List<String> required = new ArrayList<>(List.of(arch + ".embedding_length",
        arch + ".block_count"));
    if (arch.equals("llama")) {
      required.addAll(List.of("llama.context_length", "llama.feed_forward_length",
          "llama.attention.head_count", "tokenizer.ggml.model", "tokenizer.ggml.tokens"));
    }
    for (String key : required) {
      if (!file.metadata().containsKey(key)) {
        throw problem(file, "lacks required metadata " + key);
      }
    }
    checkHeadDimension(file, arch);
    List<?> tokens = file.array("tokenizer.ggml.tokens");
    if (tokens != null) {
      checkUniqueTokens(file, tokens);
      if ("llama".equals(file.string("tokenizer.ggml.model"))) {
        checkByteTokens(file, tokens);
      }
    }
  }

  private static void checkHeadDimension(GgufFile file, String arch)
      throws InvalidGgufException {
    Long embd = file.number(arch + ".embedding_length");
    Object heads = file.metadata().get(arch + ".attention.head_count");
    if (embd == null || heads == null) {
      return; // architectures without attention heads (e.g. mamba)
    }
    // some architectures give one head count per layer
    List<?> perLayer = heads instanceof List<?> l ? l : List.of(heads);
    Long keyLength = file.number(arch + ".attention.key_length");
    Long ropeDims = file.number(arch + ".rope.dimension_count");
    for (Object h : perLayer) {
      long n = h instanceof Number num ? num.longValue() : -1;
      if (n == 0) {
        continue; // a layer without attention
      }
      if (n < 0) {
        throw problem(file, "has a non-numeric " + arch + ".attention.head_count: " + h);
      }
      if (keyLength == null && embd % n != 0) {
        throw problem(file, "has embedding_length " + embd + " not divisible by head_count "
            + n);
      }
      long headDim = keyLength != null ? keyLength : embd / n;
      if (headDim % 2 != 0) {
        throw problem(file, "has an odd attention head dimension " + headDim
            + " (embedding_length " + embd + " / head_count " + n + ")");
      }
    }
    if (ropeDims != null && ropeDims % 2 != 0) {
      throw problem(file, "has an odd " + arch + ".rope.dimension_count " + ropeDims);
    }
  }

  private static void checkUniqueTokens(GgufFile file, List<?> tokens)
      throws InvalidGgufException {
    Map<String, Integer> seen = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      Object t = tokens.get(i);
      if (!(t instanceof String s)) {
        throw problem(file, "has a non-string entry in tokenizer.ggml.tokens at " + i);
      }
      if (s.isEmpty()) {
        continue; // llama.cpp renames empty tokens to a unique placeholder
      }
      Integer first = seen.putIfAbsent(s, i);
      if (first != null) {
        throw problem(file, "has the token \"" + s + "\" twice in its vocabulary (ids " + first
            + " and " + i + ")");
      }
    }
  }

  private static void checkByteTokens(GgufFile file, List<?> tokens)
      throws InvalidGgufException {
    boolean[] present = new boolean[256];
    for (Object t : tokens) {
      String s = (String) t;
      if (s.length() == 6 && s.startsWith("<0x") && s.endsWith(">")) {
        try {
          present[Integer.parseInt(s.substring(3, 5), 16)] = true;
        } catch (NumberFormatException e) {
          // not a byte token
        }
      }
    }
    int missing = 0;
    int firstMissing = -1;
    for (int b = 0; b < 256; b++) {
      if (!present[b]) {
        missing++;
        firstMissing = firstMissing < 0 ? b : firstMissing;
      }
    }
    if (missing > 0) {
      throw problem(file, String.format("has a llama vocabulary without %d of the 256 byte"
          + " tokens (first missing: <0x%02X>)", missing, firstMissing));
    }
  }

  private static InvalidGgufException problem(GgufFile file, String what) {
    return new InvalidGgufException(file.path(), what + CRASH);
  }
}
