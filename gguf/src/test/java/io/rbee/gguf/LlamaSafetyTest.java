package io.rbee.gguf;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaSafetyTest {
  @TempDir Path dir;

  private GgufFile written(Consumer<GgufWriter> change) throws Exception {
    GgufWriter w = TinyLlama.writer(GgufFileTest.SMALL);
    change.accept(w);
    Path file = dir.resolve("model.gguf");
    w.write(file);
    return GgufFile.read(file);
  }

  @SuppressWarnings("unchecked")
  private static List<String> tokens(GgufWriter w) {
    return new ArrayList<>((List<String>) w.get("tokenizer.ggml.tokens"));
  }

  @Test
  void tinyModelPasses() throws Exception {
    GgufFile ok = written(w -> {});
    assertThatCode(() -> LlamaSafety.check(ok)).doesNotThrowAnyException();
  }

  @Test
  void duplicateTokenStringIsRejected() throws Exception {
    GgufFile bad = written(w -> {
      List<String> t = tokens(w);
      t.set(t.size() - 1, "\u2581cat");
      w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, t);
    });
    assertThatThrownBy(() -> LlamaSafety.check(bad))
        .isInstanceOf(InvalidGgufException.class)
        .hasMessageContaining(bad.path().toString())
        .hasMessageContaining("has the token \"\u2581cat\" twice in its vocabulary")
        .hasMessageEndingWith("(loading it would crash llama.cpp)");
  }

  @Test
  void emptyTokensAreNotDuplicates() throws Exception {
    GgufFile ok = written(w -> {
      List<String> t = tokens(w);
      t.set(t.size() - 1, "");
      t.set(t.size() - 2, "");
      w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, t);
    });
    assertThatCode(() -> LlamaSafety.check(ok)).doesNotThrowAnyException();
  }

  @Test
  void oddHeadDimensionIsRejected() throws Exception {
    GgufFile bad = written(w -> w.putUInt32("llama.attention.head_count", 16)); // 16 / 16 = 1
    assertThatThrownBy(() -> LlamaSafety.check(bad))
        .hasMessageContaining("has an odd attention head dimension 1 (embedding_length 16 /"
            + " head_count 16)")
        .hasMessageEndingWith("(loading it would crash llama.cpp)");
  }

  @Test
  void llamaVocabularyWithoutEveryByteTokenIsRejected() throws Exception {
    GgufFile bad = written(w -> {
      List<String> t = tokens(w);
      t.set(t.indexOf("<0x41>"), "A-but-not-a-byte");
      w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, t);
    });
    assertThatThrownBy(() -> LlamaSafety.check(bad))
        .hasMessageContaining("without 1 of the 256 byte tokens (first missing: <0x41>)")
        .hasMessageEndingWith("(loading it would crash llama.cpp)");
  }

  @Test
  void missingRequiredMetadataIsNamed() throws Exception {
    GgufFile noContext = written(w -> w.remove("llama.context_length"));
    assertThatThrownBy(() -> LlamaSafety.check(noContext))
        .hasMessage(noContext.path() + " lacks required metadata llama.context_length (loading"
            + " it would crash llama.cpp)");
    GgufFile noArch = written(w -> w.remove("general.architecture"));
    assertThatThrownBy(() -> LlamaSafety.check(noArch))
        .hasMessageContaining("lacks required metadata general.architecture");
  }
}
