package io.rbee.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.rbee.gguf.TinyLlama;
import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat prompts by the model's template and embeddings, with real llama.cpp on tiny models. */
class ChatAndEmbedTest {
  static final List<ChatMessage> CHAT = List.of(new ChatMessage("system", "be brief"),
      new ChatMessage("user", "the cat sat on the"));
  /** What ChatML makes of {@link #CHAT}, spelled out. */
  static final String CHATML = "<|im_start|>system\nbe brief<|im_end|>\n"
      + "<|im_start|>user\nthe cat sat on the<|im_end|>\n<|im_start|>assistant\n";

  @TempDir static Path dir;
  static LlamaEngine engine;

  @BeforeAll
  static void load() {
    engine = LlamaEngine.load(TinyModels.tiny(dir, 1), "cpu", null, 1);
  }

  @AfterAll
  static void unload() {
    engine.close();
  }

  static Operation.Infer chat(List<ChatMessage> messages, int maxTokens) {
    return new Operation.Infer(null, "tiny", null, maxTokens, 0.0, null, null, null, List.of(),
        messages, null);
  }

  static Operation.Infer raw(String prompt, int maxTokens) {
    return new Operation.Infer(null, "tiny", prompt, maxTokens, 0.0, null, null, null,
        List.of());
  }

  static String text(LlamaEngine e, Operation.Infer req) {
    StringBuilder out = new StringBuilder();
    e.generate(e.asRaw(req), out::append, () -> false);
    return out.toString();
  }

  @Test
  void chatAtTemperatureZeroIsTheRawCompletionOfItsTemplatedPrompt() {
    assertThat(engine.hasChatTemplate()).isTrue();
    assertThat(engine.chatTemplateName()).isEqualTo("the model's chat template");
    assertThat(engine.chatPrompt(CHAT)).isEqualTo(CHATML);

    String chatText = text(engine, chat(CHAT, 24));

    assertThat(chatText).isNotBlank().isEqualTo(text(engine, raw(CHATML, 24)));
    assertThat(engine.asRaw(chat(CHAT, 24)).prompt()).isEqualTo(CHATML);
    assertThatThrownBy(() -> engine.generate(chat(CHAT, 4), t -> { }, () -> false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPreparedPromptIsTheRawRequestAndGeneratesTheSame() {
    LlamaEngine.Prompt prompt = engine.prompt(chat(CHAT, 24));

    assertThat(prompt.raw().prompt()).isEqualTo(CHATML);
    StringBuilder out = new StringBuilder();
    InferStats stats = engine.generate(prompt, out::append, () -> false);
    assertThat(stats.tokensIn()).isEqualTo(engine.promptTokens(CHATML)).isGreaterThan(1);
    assertThat(out.toString()).isNotBlank().isEqualTo(text(engine, raw(CHATML, 24)));
  }

  @Test
  void aChatIsTooLongWhenItsTemplatedPromptFillsTheContext() {
    // 500 words fit the 512-token context; with the template's markers (byte tokens) not
    String words = "the ".repeat(500).strip();
    assertThat(engine.promptTokens(words)).isLessThan(engine.contextSize());
    List<ChatMessage> messages = List.of(new ChatMessage("user", words));

    assertThatThrownBy(() -> text(engine, chat(messages, 4)))
        .isInstanceOfSatisfying(OperationException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROMPT_TOO_LONG))
        .hasMessage("the prompt is " + engine.promptTokens(engine.chatPrompt(messages))
            + " tokens but the context holds " + engine.contextSize());
  }

  @Test
  void aModelWithoutATemplateFallsBackToChatMl() {
    try (LlamaEngine bare = LlamaEngine.load(TinyModels.withoutChatTemplate(dir, 1), "cpu",
        null, 1)) {
      assertThat(bare.hasChatTemplate()).isFalse();
      assertThat(bare.chatTemplateName())
          .isEqualTo("ChatML, llama.cpp's fallback: the model has none");
      assertThat(bare.chatPrompt(CHAT)).isEqualTo(CHATML);
      // same weights: the same answer as the model with its own ChatML template
      assertThat(text(bare, chat(CHAT, 16))).isEqualTo(text(engine, chat(CHAT, 16)));
    }
  }

  @Test
  void aTemplateLlamaCppCannotParseIsNamedAsTheFallbackItBecomes() {
    Path broken = TinyModels.withChatTemplate(dir, 1, "broken",
        "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] ");
    try (LlamaEngine e = LlamaEngine.load(broken, "cpu", null, 1)) {
      assertThat(e.hasChatTemplate()).isTrue();
      assertThat(e.chatTemplateName())
          .isEqualTo("ChatML, llama.cpp's fallback: it could not parse the model's template");
      assertThat(e.chatPrompt(CHAT)).isEqualTo(CHATML);
    }
    Path other = TinyModels.withChatTemplate(dir, 1, "other",
        "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}");
    try (LlamaEngine e = LlamaEngine.load(other, "cpu", null, 1)) {
      assertThat(e.chatTemplateName()).isEqualTo("the model's chat template");
      assertThat(e.chatPrompt(CHAT)).isEqualTo("[system] be brief\n[user] the cat sat on the\n");
    }
  }

  @Test
  void charactersJniWouldMangleReachTheTemplateIntact() {
    String content = "snow \u2603, a grin \uD83D\uDE00, \uD83D\uDE00 again, nul \u0000 here,"
        + " private \uE000, record \u001E sep";

    String prompt = engine.chatPrompt(List.of(new ChatMessage("user", content)));

    assertThat(prompt).isEqualTo("<|im_start|>user\n" + content
        + "<|im_end|>\n<|im_start|>assistant\n");
  }

  @Test
  void aTemplateThatRaisesFailsTheRequestAndTheEngineLivesOn() {
    // llama.cpp would abort the JVM on this raise_exception (an uncaught C++ exception)
    String refusing = "{% if messages[-1]['content'] == 'boom' %}"
        + "{{ raise_exception('no booms, please') }}{% endif %}" + TinyLlama.CHATML_TEMPLATE;
    try (LlamaEngine strict = LlamaEngine.load(
        TinyModels.withChatTemplate(dir, 1, "refusing", refusing), "cpu", null, 1)) {
      assertThatThrownBy(() -> strict.chatPrompt(List.of(new ChatMessage("user", "boom"))))
          .isInstanceOfSatisfying(OperationException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.CHAT_TEMPLATE_FAILED))
          .hasMessage("the model's chat template refuses these messages: no booms, please");

      assertThat(strict.chatPrompt(CHAT)).isEqualTo(CHATML);
      assertThat(text(strict, chat(CHAT, 8))).isEqualTo(text(engine, chat(CHAT, 8)));
    }
  }

  @Test
  void embeddingsHaveTheModelsLengthAndFollowTheirInput() {
    List<String> inputs = List.of("the cat sat", "the dog ran", "the cat sat");

    LlamaEngine.Embedded out = engine.embed(inputs, () -> false);

    assertThat(out.cancelled()).isFalse();
    assertThat(out.vectors()).hasSize(3)
        .allSatisfy(v -> assertThat(v).hasSize(engine.embeddingLength()));
    assertThat(engine.embeddingLength()).isEqualTo(TinyModels.TINY.embd());
    assertThat(out.vectors().get(0)).isEqualTo(out.vectors().get(2))
        .isNotEqualTo(out.vectors().get(1));
    assertThat(norm(out.vectors().get(1))).isCloseTo(1.0, offset(1e-4));
    assertThat(out.tokensIn()).isEqualTo(inputs.stream().mapToInt(engine::promptTokens).sum());
    // embedding changes nothing for generation, before or after
    assertThat(text(engine, raw("the cat", 8))).isEqualTo(text(engine, raw("the cat", 8)));
  }

  @Test
  void embeddingNonAsciiTextOnTheDemoModelWorks() {
    try (LlamaEngine demo = LlamaEngine.load(TinyModels.demo(dir), "cpu", null, 1)) {
      LlamaEngine.Embedded out = demo.embed(
          List.of("über straße", "日本語 \uD83D\uDE00", "over the water"), () -> false);

      assertThat(out.vectors()).hasSize(3)
          .allSatisfy(v -> assertThat(v).hasSize(64));
      assertThat(out.vectors().get(0)).isNotEqualTo(out.vectors().get(1));
    }
  }

  @Test
  void anInputTooLongForOneBatchIsRefusedByIndex() {
    String tooLong = "the ".repeat(LlamaEngine.EMBED_BATCH);

    assertThatThrownBy(() -> engine.embed(List.of("the cat", tooLong), () -> false))
        .isInstanceOfSatisfying(OperationException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROMPT_TOO_LONG))
        .hasMessageStartingWith("input[1] is ")
        .hasMessageEndingWith(" tokens but an embedding takes at most "
            + LlamaEngine.EMBED_BATCH);
  }

  @Test
  void cancellingStopsBetweenInputs() {
    AtomicInteger polls = new AtomicInteger();
    List<String> inputs = new ArrayList<>(List.of("the cat", "the dog", "the sun", "a mat"));

    LlamaEngine.Embedded out = engine.embed(inputs, () -> polls.incrementAndGet() > 2);

    assertThat(out.cancelled()).isTrue();
    assertThat(out.vectors()).hasSize(2);
    assertThat(out.tokensIn()).isEqualTo(engine.promptTokens("the cat")
        + engine.promptTokens("the dog"));
  }

  static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f * f;
    }
    return Math.sqrt(s);
  }
}
