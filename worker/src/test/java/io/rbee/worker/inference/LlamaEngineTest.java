package io.rbee.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaEngineTest {
  static final String PROMPT = "the cat sat on the";

  @TempDir static Path dir;
  static Path tinyFile;
  static LlamaEngine engine;

  @BeforeAll
  static void load() {
    tinyFile = TinyModels.tiny(dir, 1);
    engine = LlamaEngine.load(tinyFile, "cpu", null, 1);
  }

  @AfterAll
  static void unload() {
    engine.close();
  }

  static Operation.Infer infer(int maxTokens, double temperature, Long seed, List<String> stop) {
    return new Operation.Infer(null, "tiny", PROMPT, maxTokens, temperature, null, null, seed,
        stop);
  }

  record Run(List<String> pieces, InferStats stats) {
    String text() {
      return String.join("", pieces);
    }
  }

  static Run run(Operation.Infer req) {
    List<String> pieces = new ArrayList<>();
    InferStats stats = engine.generate(req, pieces::add, () -> false);
    return new Run(pieces, stats);
  }

  @Test
  void greedyOutputIsWhatLlamaModelGivesDirectly() {
    Run ours = run(infer(24, 0, null, null));

    String direct;
    try (LlamaModel model = new LlamaModel(new ModelParameters()
        .setModel(tinyFile.toString()).disableLog().setCtxSize(512))) {
      direct = model.complete(new InferenceParameters(PROMPT).setNPredict(24).setTemperature(0)
          .disableTokenIds(TokenSuppression.forModel(engine.gguf())));
    }

    assertThat(ours.text()).isNotBlank().isEqualTo(direct);
    assertThat(ours.stats().tokensOut()).isEqualTo(24);
    assertThat(ours.stats().stopReason()).isEqualTo("max_tokens");
    assertThat(ours.stats().tokensIn()).isEqualTo(engine.promptTokens(PROMPT)).isGreaterThan(2);
    assertThat(run(infer(24, 0, null, null)).text()).isEqualTo(ours.text());
  }

  @Test
  void maxTokensIsHonoured() {
    Run r = run(infer(5, 0, null, null));

    assertThat(r.stats().tokensOut()).isEqualTo(5);
    assertThat(r.pieces()).hasSizeLessThanOrEqualTo(5).isNotEmpty();
    assertThat(r.stats().stopReason()).isEqualTo("max_tokens");
    assertThat(r.stats().toMap()).containsKeys("tokens_in", "tokens_out", "duration_ms",
        "tokens_per_second", "stop_reason").containsEntry("tokens_out", 5);
  }

  @Test
  void stopStringEndsTheTextBeforeIt() {
    Run full = run(infer(30, 0, null, null));
    String stop = full.pieces().get(4);
    String expected = full.text().substring(0, full.text().indexOf(stop));

    Run stopped = run(infer(30, 0, null, List.of(stop)));

    assertThat(stopped.text()).isEqualTo(expected);
    assertThat(stopped.stats().stopReason()).isEqualTo("stop");
    assertThat(stopped.stats().tokensOut()).isLessThanOrEqualTo(5);
  }

  @Test
  void stopStringSpanningTwoPiecesIsNeverEmitted() {
    Run full = run(infer(30, 0, null, null));
    String a = full.pieces().get(5);
    String b = full.pieces().get(6);
    String stop = a.substring(a.length() - 1) + b.substring(0, Math.min(2, b.length()));
    String expected = full.text().substring(0, full.text().indexOf(stop));

    Run stopped = run(infer(30, 0, null, List.of(stop)));

    assertThat(stopped.text()).isEqualTo(expected);
    assertThat(stopped.stats().stopReason()).isEqualTo("stop");
  }

  @Test
  void cancellingStopsWithinOneToken() {
    AtomicBoolean cancel = new AtomicBoolean();
    List<String> pieces = new ArrayList<>();
    InferStats stats = engine.generate(infer(400, 0.8, 7L, null), piece -> {
      pieces.add(piece);
      if (pieces.size() == 3) {
        cancel.set(true);
      }
    }, cancel::get);

    assertThat(stats.stopReason()).isEqualTo("cancelled");
    assertThat(stats.tokensOut()).isEqualTo(3);
    assertThat(pieces).hasSize(3);
    // the engine is clean afterwards: greedy output is unchanged
    assertThat(run(infer(10, 0, null, null)).text())
        .isEqualTo(run(infer(10, 0, null, null)).text()).isNotEmpty();
  }

  @Test
  void cancelRightAfterTheRequestLeavesTheEngineFreeForTheNext() {
    for (int round = 0; round < 3; round++) {
      // a generation cancelled mid-way, as a DELETE does, keeps llama.cpp's server loop busy...
      AtomicBoolean cancel = new AtomicBoolean();
      List<String> pieces = new ArrayList<>();
      engine.generate(infer(20_000, 0.8, 3L, null), piece -> {
        pieces.add(piece);
        cancel.set(pieces.size() == 3);
      }, cancel::get);
      // ...while the next is cancelled as it starts: polled false once, then true
      AtomicBoolean polledOnce = new AtomicBoolean();
      InferStats stats = engine.generate(infer(20_000, 0.8, 3L, null), piece -> { },
          () -> !polledOnce.compareAndSet(false, true));
      assertThat(stats.stopReason()).isEqualTo("cancelled");
      assertThat(stats.tokensOut()).isZero();

      // a lost cancel would leave that task generating 20000 tokens ahead of this one
      assertTimeout(Duration.ofSeconds(5), () -> {
        assertThat(run(infer(5, 0, null, null)).stats().tokensOut()).isEqualTo(5);
      });
    }
  }

  @Test
  void cancelledBeforeStartGeneratesNothing() {
    List<String> pieces = new ArrayList<>();
    InferStats stats = engine.generate(infer(50, 0, null, null), pieces::add, () -> true);

    assertThat(stats.stopReason()).isEqualTo("cancelled");
    assertThat(stats.tokensOut()).isZero();
    assertThat(pieces).isEmpty();
  }

  @Test
  void startedRunsOnceBeforeAnyTextAndBeforeAFailureOrAnEarlyCancel() {
    List<String> seen = new ArrayList<>();
    IntConsumer started = tokens -> seen.add("<started " + tokens + ">");
    String begun = "<started " + engine.promptTokens(PROMPT) + ">";

    engine.generate(engine.prompt(infer(12, 0, null, null)), started, seen::add, () -> false);
    assertThat(seen).hasSizeGreaterThan(1).first().isEqualTo(begun);
    assertThat(seen).containsOnlyOnce(begun);

    seen.clear();
    engine.generate(engine.prompt(infer(12, 0, null, null)), started, seen::add, () -> true);
    assertThat(seen).containsExactly(begun);

    seen.clear();
    String tooLong = "the ".repeat(engine.contextSize()).strip();
    Operation.Infer req = new Operation.Infer(null, "tiny", tooLong, 4, 0.0, null, null, null,
        null);
    assertThatThrownBy(() -> engine.generate(engine.prompt(req), started, seen::add, () -> false))
        .isInstanceOfSatisfying(OperationException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROMPT_TOO_LONG));
    assertThat(seen).containsExactly("<started " + engine.promptTokens(tooLong) + ">");
  }

  @Test
  void aShortPromptIsCountedWhileLlamaReadsItAndOneThatMightNotFitBeforeItStarts() {
    LlamaEngine.Prompt small = engine.prompt(infer(4, 0, null, null));
    assertThat(small.tokens()).isEqualTo(LlamaEngine.Prompt.UNCOUNTED);
    int[] counted = {0};
    InferStats stats = engine.generate(small, tokens -> counted[0] = tokens, t -> { },
        () -> false);
    assertThat(counted[0]).isEqualTo(stats.tokensIn()).isEqualTo(engine.promptTokens(PROMPT));

    // long enough that its bytes do not prove it fits (4 per byte), short enough to fit
    String words = "the cat ".repeat(engine.contextSize() / 16).strip();
    LlamaEngine.Prompt large = engine.prompt(new Operation.Infer(null, "tiny", words, 4, 0.0,
        null, null, null, null));
    assertThat(large.tokens()).isEqualTo(engine.promptTokens(words))
        .isLessThan(engine.contextSize());
    assertThat(engine.generate(large, t -> { }, () -> false).tokensIn())
        .isEqualTo(large.tokens());
  }

  @Test
  void seedMakesSamplingRepeatable() {
    String a = run(infer(30, 1.0, 42L, null)).text();
    String b = run(infer(30, 1.0, 42L, null)).text();
    String c = run(infer(30, 1.0, 43L, null)).text();

    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void demoModelSpeaksInWords() {
    Path demo = TinyModels.demo(dir);
    try (LlamaEngine e = LlamaEngine.load(demo, "cpu", null, 1)) {
      List<String> pieces = new ArrayList<>();
      InferStats stats = e.generate(new Operation.Infer(null, "demo", "über the river", 40, 0.8,
          null, null, 1L, null), pieces::add, () -> false);

      assertThat(stats.tokensOut()).isEqualTo(40);
      assertThat(String.join("", pieces)).matches("[ a-z.,]+");
    }
  }

  @Test
  void brokenFilesFailWithClearMessagesInsteadOfCrashing() {
    assertThatThrownBy(() -> LlamaEngine.load(TinyModels.garbage(dir), "cpu", null, 1))
        .isInstanceOfSatisfying(OperationException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_GGUF))
        .hasMessageContaining("is not a GGUF file (starts with 3c68746d");
    assertThatThrownBy(() -> LlamaEngine.load(TinyModels.truncated(dir), "cpu", null, 1))
        .hasMessageContaining("is truncated");
    // llama.cpp itself would abort the JVM on this one
    assertThatThrownBy(() -> LlamaEngine.load(TinyModels.duplicateVocab(dir), "cpu", null, 1))
        .hasMessageContaining("twice in its vocabulary");
    assertThatThrownBy(() -> LlamaEngine.load(dir.resolve("nope.gguf"), "cpu", null, 1))
        .isInstanceOfSatisfying(OperationException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND));
  }

  @Test
  void cudaWithoutALlamaLibraryFailsWithTheWayOut() {
    assumeTrue(System.getenv("RBEE_LLAMA_LIB_DIR") == null, "RBEE_LLAMA_LIB_DIR is set here");

    assertThatThrownBy(() -> LlamaEngine.load(tinyFile, "cuda:0", null, 1))
        .isInstanceOfSatisfying(CudaUnavailableException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CUDA_UNAVAILABLE))
        .hasMessageContaining("cuda:0 needs a CUDA build of llama.cpp")
        .hasMessageContaining("GGML_CUDA=ON")
        .hasMessageContaining("RBEE_LLAMA_LIB_DIR")
        .hasMessageContaining("libjllama.so")
        .hasMessageContaining("docs/OPERATIONS.md#cuda");
  }

  @Test
  void cudaWithAFolderLackingTheLibraryNamesTheFolder() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-lib"));

    assertThatThrownBy(() -> LlamaEngine.load(tinyFile, "cuda:1", empty, 1))
        .isInstanceOf(CudaUnavailableException.class)
        .hasMessageStartingWith("cuda:1 needs libjllama.so in " + empty + ", which has none");
  }

  @Test
  void malformedDeviceIsRejected() {
    assertThatThrownBy(() -> LlamaEngine.load(tinyFile, "gpu", null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("device must be \"cpu\" or \"cuda:N\" (N = GPU index), got \"gpu\"");
  }
}
